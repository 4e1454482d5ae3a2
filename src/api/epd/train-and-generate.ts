import type { SearchContext, Tensorflow } from '../plugin.js';
import type { Arch } from '../space.js';
import type { PredictionPair } from '../kit/diagnostics.js';
import type { PoolMember } from '../kit/pool.js';
import { objectiveValue, round4 } from '../kit/scores.js';
import { generate } from './generation.js';
import { pairwiseAccuracy, predictTokens, reconstructionAccuracy, spread } from './metrics.js';
import { Epd, type EpdWeights } from './model.js';
import type { EpdSettings } from './settings.js';
import { type Example, epdLoss, trainEpd } from './training.js';

/** How the EPD fared in one iteration. */
export interface EpdReport {
  readonly steps: number;
  readonly trainMs: number;
  readonly generateMs: number;
  /** Joint-loss parts on the training set after training. */
  readonly mse: number | null;
  readonly nll: number | null;
  /** Predictor's pairwise ranking accuracy on the held-out architectures. */
  readonly heldOutPairwise: number | null;
  /** Share of training architectures that decode(encode(a)) reproduces exactly. */
  readonly reconstruction: number | null;
  /**
   * [predicted, true] for the held-out architectures (at most MAX_PAIRS, evenly spread), in the
   * objective's units: the predictor's output mapped back through the min-max normalisation of
   * this iteration's training targets. What the report's predicted-vs-true scatter draws.
   */
  readonly pairs: readonly PredictionPair[];
}

/** Pairs kept per iteration: the diagnostics are stored every iteration of every run. */
export const MAX_PAIRS = 200;

export const NOT_TRAINED: EpdReport = { steps: 0, trainMs: 0, generateMs: 0, mse: null, nll: null, heldOutPairwise: null, reconstruction: null, pairs: [] };

/** What training and generating use of a searcher's context (whatever its parameters). */
export type EpdContext = Pick<SearchContext, 'space' | 'rng' | 'task'>;

export interface Split {
  readonly train: readonly PoolMember[];
  readonly heldOut: readonly PoolMember[];
  /** Every successful evaluation, held out or not: the candidates for the top-k. */
  readonly ok: readonly PoolMember[];
}

/**
 * Trains the EPD (continuing from `model.weights`, which it replaces) on the training split's
 * scores, measures it, and moves the top-k of `split.ok` up its gradient until `wanted`
 * architectures outside `known` have come out. The training scores must not all be equal.
 */
export function trainAndGenerate(
  tf: Tensorflow,
  ctx: EpdContext,
  settings: EpdSettings,
  model: { weights: EpdWeights },
  split: Split,
  request: { readonly wanted: number; readonly known: ReadonlySet<string> },
): { report: EpdReport; generated: { key: string; eta: number }[] } {
  const { space } = ctx;
  const tokens = (m: PoolMember) => space.toTokens(space.parse(m.arch));
  const scores = split.train.map((m) => m.score as number);
  const [lo, hi] = [Math.min(...scores), Math.max(...scores)];
  const examples: Example[] = split.train.map((m) => ({
    tokens: tokens(m),
    target: ((m.score as number) - lo) / (hi - lo),
    rewritings: space.equivalents(space.parse(m.arch)).map((a) => space.toTokens(a)),
  }));
  const epd = new Epd(tf, settings.model, model.weights, (p) => space.grammar.allowed(p));
  try {
    const t0 = performance.now();
    const steps = trainEpd(tf, epd, examples, settings.training, settings.augment, ctx.rng);
    const trainMs = Math.round(performance.now() - t0);
    const [mse, nll] = tf.tidy(() => {
      const loss = epdLoss(tf, epd, examples, settings.training.tradeOff);
      return [loss.mse, loss.nll];
    });
    const losses = [mse.dataSync()[0]!, nll.dataSync()[0]!];
    tf.dispose([mse, nll]);
    const predicted = predictTokens(tf, epd, split.heldOut.map(tokens));
    const truth = split.heldOut.map((m) => m.score as number);
    // Scores are oriented so that higher is better; the metric is their negation for 'min' objectives.
    const metric = (score: number) => objectiveValue(score, ctx.task.objective.goal);
    const pairs = predicted.map((p, i): PredictionPair => [round4(metric(lo + p * (hi - lo)))!, round4(metric(truth[i]!))!]);
    // Checked before generating: what the decoder makes of moved encodings is only as good as what
    // it makes of the training architectures' own.
    const reconstruction = round4(reconstructionAccuracy(tf, epd, examples.map((e) => e.tokens)));

    const t1 = performance.now();
    const sources = split.ok
      .slice()
      .sort((a, b) => (b.score as number) - (a.score as number))
      .slice(0, settings.topK)
      .map((m): Arch => space.parse(m.arch));
    const candidates = generate(tf, epd, space, { sources, ...request, etaStep: settings.etaStep, maxEtaSteps: settings.maxEtaSteps });
    const generateMs = Math.round(performance.now() - t1);
    model.weights = epd.export();
    return {
      report: {
        steps,
        trainMs,
        generateMs,
        mse: round4(losses[0]!),
        nll: round4(losses[1]!),
        heldOutPairwise: round4(pairwiseAccuracy(predicted, truth)),
        reconstruction,
        pairs: spread(pairs, MAX_PAIRS),
      },
      generated: candidates.map((c) => ({ key: space.format(c.arch), eta: c.eta })),
    };
  } finally {
    epd.dispose();
  }
}
