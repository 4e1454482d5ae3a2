import type { Candidate, Json, PoolMember, SearchContext, Searcher, Supernet, TaskInfo, Tensorflow } from 'nasbench/api';
import { poolStats, rerankCandidates, round4, scorePool, searchThenRerank } from 'nasbench/api';
import { Controller, type Sample } from './controller.js';
import { readLayout } from './layout.js';
import { type EnasParams, type EnasSettings, resolveSettings } from './params.js';
import { baselineValue, initialLearner, type Learner, reinforce, type Rewarded } from './reinforce.js';

/** Diagnostics kind: the list of the search's epochs so far (one record, rewritten after every epoch). */
export const EPOCHS_DIAGNOSTIC = 'enas-epochs';
/** Diagnostics kind: the cells derived from the trained controller, as scored with the shared weights. */
export const DERIVED_DIAGNOSTIC = 'enas-derived';

/** ENAS's constant c in the PTB reward c / perplexity. */
const PERPLEXITY_REWARD = 80;

/** One epoch of the search, as `nasbench show` lists it. */
export interface EpochDiagnostics {
  readonly epoch: number;
  readonly supernetSteps: number;
  readonly supernetLoss: number | null;
  readonly supernetDiverged: boolean;
  /** The supernet's device time in this epoch: its training, and the scoring of the controller's samples. */
  readonly supernetSeconds: number;
  readonly updates: number;
  /** Means over this epoch's controller samples: the reward (before the entropy bonus) and the policy's entropy (nats). */
  readonly reward: number | null;
  readonly entropy: number | null;
  readonly baseline: number | null;
}

/** What the derivation found: scores in the search objective's units. */
export interface DerivedDiagnostics {
  readonly drawn: number;
  readonly distinct: number;
  readonly best: number | null;
  readonly median: number | null;
  readonly worst: number | null;
}

const mean = (xs: readonly number[]) => (xs.length === 0 ? null : round4(xs.reduce((a, b) => a + b, 0) / xs.length));

/**
 * ENAS's reward from a shared-weight score on one validation minibatch: the accuracy as a
 * fraction for images, c / perplexity for text. A non-finite score (a diverging subnetwork) earns 0.
 */
export function rewardOf(task: TaskInfo, metrics: Readonly<Record<string, number>>): number {
  const value = metrics[task.objective.metric];
  if (value === undefined || !Number.isFinite(value)) return 0;
  return task.kind === 'text' ? PERPLEXITY_REWARD / value : value / 100;
}

/**
 * ENAS with weight sharing (Pham et al. 2018). Every epoch trains the supernet with a fresh
 * sample from the controller per minibatch, then takes `controller_steps` REINFORCE updates, each
 * from `batch` samples rewarded by their shared-weight score on the next validation minibatch.
 * At the end, `derive_samples` cells drawn from the trained controller are scored on the same
 * fixed validation minibatches; the best of them (and a spread below, for the rank correlation)
 * are what the run's evaluations train from scratch.
 */
export function createWeightSharingSearcher(ctx: SearchContext<EnasParams>): Searcher {
  const settings = resolveSettings(ctx.params, ctx.space.kind, 'weight-sharing');
  return searchThenRerank(ctx, 'ENAS', async (budget) => {
    const [tf, supernet] = await Promise.all([ctx.tensorflow(), ctx.supernet()]);
    const controller = new Controller(readLayout(ctx.space.grammar), settings.controller);
    const learner = initialLearner(controller.initialWeights(ctx.rng));
    const draw = () => controller.sample(tf, learner.weights, ctx.rng)[0]!;

    const epochs: EpochDiagnostics[] = [];
    const totalSteps = Math.round(settings.weightSharing.epochs * supernet.epochSteps);
    for (let epoch = 1, done = 0; done < totalSteps; epoch++) {
      const start = supernet.deviceSeconds;
      const steps = Math.min(supernet.epochSteps, totalSteps - done);
      const training = await supernet.train(steps, () => ctx.space.fromTokens(draw().tokens));
      done += steps;
      const rewarded = await trainController(tf, ctx, supernet, controller, learner, settings, draw);
      const baseline = baselineValue(learner.baseline);
      epochs.push({
        epoch,
        supernetSteps: training.steps,
        supernetLoss: Number.isFinite(training.meanLoss) ? round4(training.meanLoss) : null,
        supernetDiverged: training.diverged,
        supernetSeconds: round4(supernet.deviceSeconds - start),
        updates: settings.weightSharing.controllerSteps,
        reward: mean(rewarded.map((r) => r.reward)),
        entropy: mean(rewarded.map((r) => r.entropy)),
        baseline: baseline === null ? null : round4(baseline),
      });
      ctx.record(EPOCHS_DIAGNOSTIC, [...epochs] as unknown as Json);
      ctx.log.info(describeEpoch(epochs.at(-1)!, Math.ceil(totalSteps / supernet.epochSteps)));
    }

    const derived = await derive(ctx, supernet, settings, draw);
    const candidates = rerankCandidates(derived, budget, settings.weightSharing.rerankSpread).map((m): Candidate => [m.arch, m.score]);
    ctx.log.info(`search done: ${candidates.length} of ${derived.length} derived cells to train from scratch`);
    return candidates;
  });
}

/** One epoch's controller updates; returns the samples they were made from. */
async function trainController(
  tf: Tensorflow,
  ctx: SearchContext<EnasParams>,
  supernet: Supernet,
  controller: Controller,
  learner: Learner,
  settings: EnasSettings,
  draw: () => Sample,
): Promise<Rewarded[]> {
  const all: Rewarded[] = [];
  for (let update = 0; update < settings.weightSharing.controllerSteps; update++) {
    const batch: Rewarded[] = [];
    for (let i = 0; i < settings.batch; i++) {
      const sample = draw();
      const metrics = await supernet.score(ctx.space.fromTokens(sample.tokens));
      batch.push({ tokens: sample.tokens, reward: rewardOf(ctx.task, metrics), entropy: sample.entropy });
    }
    reinforce(tf, controller, learner, batch, settings.reinforce);
    all.push(...batch);
  }
  return all;
}

/**
 * Cells drawn from the trained controller, each distinct one scored as NAO-WS scores its pool: on
 * the same fixed validation minibatches (so that scores compare), oriented so that higher is better.
 */
async function derive(ctx: SearchContext<EnasParams>, supernet: Supernet, settings: EnasSettings, draw: () => Sample): Promise<PoolMember[]> {
  const drawn = new Set(Array.from({ length: settings.weightSharing.deriveSamples }, () => ctx.space.format(ctx.space.fromTokens(draw().tokens))));
  const batches = Math.min(settings.weightSharing.scoreBatches, supernet.validBatches);
  const members = await scorePool(ctx, supernet, [...drawn].map((arch): PoolMember => ({ arch, score: null, heldOut: null })), batches);
  const stats = poolStats(ctx, members);
  const diagnostics: DerivedDiagnostics = {
    drawn: settings.weightSharing.deriveSamples,
    distinct: members.length,
    best: stats.poolBest,
    median: stats.poolMedian,
    worst: stats.poolWorst,
  };
  ctx.record(DERIVED_DIAGNOSTIC, diagnostics as unknown as Json);
  return members;
}

function describeEpoch(e: EpochDiagnostics, of: number): string {
  return (
    `epoch ${e.epoch}/${of}: supernet ${e.supernetSteps} steps, loss ${e.supernetLoss ?? 'n/a'}${e.supernetDiverged ? ' (diverged)' : ''}, ` +
    `${e.supernetSeconds.toFixed(0)} s · controller ${e.updates} updates, mean reward ${e.reward ?? 'n/a'}, entropy ${e.entropy ?? 'n/a'}`
  );
}
