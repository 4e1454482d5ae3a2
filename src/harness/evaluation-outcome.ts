import type { EvalStatus } from '../api/index.js';
import type { Evaluation } from '../tasks/types.js';

export interface EvaluationOutcome {
  readonly status: EvalStatus;
  /** The search metric; set exactly when the status is 'ok'. */
  readonly value: number | null;
  readonly error: string | null;
}

/**
 * What an evaluation counts as for the search. An 'ok' evaluation must carry its search metric as
 * a finite number: a missing or non-finite one (e.g. an empty validation split, or weights that
 * overflowed) is a failed evaluation, or a diverged one when a training metric went non-finite
 * too. A searcher never sees 'ok' without a score.
 */
export function judgeEvaluation(e: Evaluation, metric: string): EvaluationOutcome {
  if (e.status !== 'ok') return { status: e.status, value: null, error: e.error ?? null };
  const value = e.metrics[metric];
  if (value === undefined) return { status: 'failed', value: null, error: e.error ?? `evaluation has no '${metric}' metric` };
  if (Number.isFinite(value)) return { status: 'ok', value, error: e.error ?? null };
  const training = Object.entries(e.metrics).find(([name, v]) => name.startsWith('train_') && !Number.isFinite(v));
  return training
    ? { status: 'diverged', value: null, error: `the search metric '${metric}' is ${value} after a non-finite training loss (${training[0]} ${training[1]})` }
    : { status: 'failed', value: null, error: `the search metric '${metric}' is ${value}, expected a finite number` };
}
