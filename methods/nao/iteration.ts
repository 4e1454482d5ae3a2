import type { Arch, Json, Rng, SearchContext, Tensorflow } from 'nasbench/api';
import { generate } from './generation.js';
import { pairwiseAccuracy, predictTokens, reconstructionAccuracy, spread } from './metrics.js';
import { Epd, type EpdWeights } from './model.js';
import type { EpdSettings, NaoParams, NaoSettings } from './params.js';
import type { Member, NaoState } from './state.js';
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

/** The predictor's estimate of an architecture's objective, and the objective's true value. */
export type PredictionPair = readonly [predicted: number, actual: number];

/** Pairs kept per iteration: the diagnostics are stored every iteration of every run. */
export const MAX_PAIRS = 200;

/** What `nasbench show` lists for each iteration (recorded as 'nao-iteration'). */
export interface IterationDiagnostics extends EpdReport {
  readonly iteration: number;
  readonly evaluated: number;
  readonly trained: number;
  readonly heldOut: number;
  readonly generated: number;
  readonly randomFill: number;
  /** Step size at which each new architecture appeared. */
  readonly etaMean: number | null;
  readonly etaMax: number | null;
}

export const NOT_TRAINED: EpdReport = { steps: 0, trainMs: 0, generateMs: 0, mse: null, nll: null, heldOutPairwise: null, reconstruction: null, pairs: [] };

export const round4 = (x: number | null): number | null => (x === null ? null : Math.round(x * 1e4) / 1e4);

/** What training and generating use of a searcher's context (whatever its parameters). */
export type EpdContext = Pick<SearchContext, 'space' | 'rng' | 'task'>;

/** Uniform samples that are in none of `exclude` (nor repeated); fewer when the space runs dry. */
export function randomUnique(ctx: Pick<SearchContext, 'space' | 'rng'>, count: number, exclude: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < 1000 * count; tries++) {
    const key = ctx.space.format(ctx.space.sample(ctx.rng));
    if (!exclude.has(key)) out.add(key);
  }
  return [...out];
}

/** Marks a share of the architectures no training has seen yet as held out, for good. */
export function assignHoldout(pool: Member[], share: number, rng: Rng): void {
  const fresh = pool.filter((m) => m.heldOut === null && m.score !== null);
  const chosen = new Set(rng.sample(fresh, Math.round(share * fresh.length)));
  for (const m of fresh) m.heldOut = chosen.has(m);
}

/**
 * One NAO iteration: train the EPD on the evaluated pool (continuing from the stored weights),
 * generate up to `wanted` new architectures from the top-k, fill the rest with random ones, and
 * record the diagnostics. Updates the state's weights; returns canonical strings.
 */
export function runIteration(tf: Tensorflow, ctx: SearchContext<NaoParams>, settings: NaoSettings, state: NaoState, wanted: number): string[] {
  assignHoldout(state.pool, settings.holdout, ctx.rng);
  const ok = state.pool.filter((m) => m.score !== null);
  const train = ok.filter((m) => !m.heldOut);
  const heldOut = ok.filter((m) => m.heldOut);
  const scores = train.map((m) => m.score as number);
  // Min-max targets need two different scores; without them there is nothing to learn yet.
  const learnable = Math.max(...scores) > Math.min(...scores);
  const { report, generated } = learnable
    ? trainAndGenerate(tf, ctx, settings, state, { train, heldOut, ok }, { wanted, known: state.proposed })
    : { report: NOT_TRAINED, generated: [] };

  const keys = generated.map((g) => g.key);
  const fill = randomUnique(ctx, wanted - keys.length, new Set([...state.proposed, ...keys]));
  const etas = generated.map((g) => g.eta);
  state.iteration++;
  const diagnostics: IterationDiagnostics = {
    iteration: state.iteration,
    evaluated: state.pool.length,
    trained: train.length,
    heldOut: heldOut.length,
    ...report,
    generated: keys.length,
    randomFill: fill.length,
    etaMean: etas.length ? round4(etas.reduce((a, b) => a + b, 0) / etas.length) : null,
    etaMax: etas.length ? Math.max(...etas) : null,
  };
  ctx.record('nao-iteration', diagnostics as unknown as Json);
  return [...keys, ...fill];
}

export interface Split {
  readonly train: readonly Member[];
  readonly heldOut: readonly Member[];
  /** Every successful evaluation, held out or not: the candidates for the top-k. */
  readonly ok: readonly Member[];
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
  const tokens = (m: Member) => space.toTokens(space.parse(m.arch));
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
    const metric = (score: number) => (ctx.task.objective.goal === 'max' ? score : -score);
    const pairs = predicted.map((p, i): PredictionPair => [round4(metric(lo + p * (hi - lo)))!, round4(metric(truth[i]!))!]);

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
        reconstruction: round4(reconstructionAccuracy(tf, epd, examples.map((e) => e.tokens))),
        pairs: spread(pairs, MAX_PAIRS),
      },
      generated: candidates.map((c) => ({ key: space.format(c.arch), eta: c.eta })),
    };
  } finally {
    epd.dispose();
  }
}
