import type { Json, SearchContext, Tensorflow } from 'nasbench/api';
import { DiagnosticKind, type EpdReport, NOT_TRAINED, assignHoldout, randomUnique, round4, trainAndGenerate } from 'nasbench/api';
import type { NaoParams, NaoSettings } from './params.js';
import type { NaoState } from './state.js';

/** What `nasbench show` lists for each iteration (recorded as 'nao-iteration'). */
export interface IterationDiagnostics extends EpdReport {
  readonly iteration: number;
  /** `scaled` or `paper` (params.ts). */
  readonly config: string;
  readonly evaluated: number;
  readonly trained: number;
  readonly heldOut: number;
  readonly generated: number;
  /** Random architectures added because the decoder produced fewer than K new ones (0 without random_fill). */
  readonly randomFill: number;
  /** K: what the iteration asked the decoder for. */
  readonly wanted: number;
  /** Step size at which each new architecture appeared. */
  readonly etaMean: number | null;
  readonly etaMax: number | null;
}

/**
 * One NAO iteration: train the EPD on the evaluated pool (continuing from the stored weights),
 * generate up to `wanted` new architectures from the top-k, fill the rest with random ones when
 * `random_fill` is on, and record the diagnostics. Updates the state's weights; returns canonical
 * strings (fewer than `wanted` without random fill, none when the decoder produced nothing new).
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
  const fill = settings.randomFill ? randomUnique(ctx, wanted - keys.length, new Set([...state.proposed, ...keys])) : [];
  const etas = generated.map((g) => g.eta);
  state.iteration++;
  const diagnostics: IterationDiagnostics = {
    iteration: state.iteration,
    config: settings.config,
    evaluated: state.pool.length,
    trained: train.length,
    heldOut: heldOut.length,
    ...report,
    generated: keys.length,
    randomFill: fill.length,
    wanted,
    etaMean: etas.length ? round4(etas.reduce((a, b) => a + b, 0) / etas.length) : null,
    etaMax: etas.length ? Math.max(...etas) : null,
  };
  ctx.record(DiagnosticKind.predictorIteration, diagnostics as unknown as Json);
  return [...keys, ...fill];
}

