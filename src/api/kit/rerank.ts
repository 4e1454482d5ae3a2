import type { Json, Objective } from '../plugin.js';
import type { WeightSharingCorrelation } from './diagnostics.js';
import { kendallTau } from './kendall.js';
import { objectiveValue, round4 } from './scores.js';

/** An architecture chosen for standalone training, with its shared-weight score (higher is better). */
export type Candidate = readonly [arch: string, shared: number | null];

/** A candidate after its standalone evaluation: the search objective's score, null when it failed. */
export type Reranked = readonly [arch: string, shared: number | null, standalone: number | null];

/**
 * Everything the searcher depends on once the search is over: the supernet is not used again, so
 * no snapshot needs its weights.
 */
export interface RerankState {
  /** In proposal order. */
  readonly candidates: readonly Candidate[];
  /** Not yet proposed. */
  queue: string[];
  /** In observation order. */
  readonly observed: Reranked[];
}

/** The rank agreement of the two scores over the architectures that have both. */
export function correlation(observed: readonly Reranked[], objective: Objective): WeightSharingCorrelation {
  const both = observed.filter((r): r is readonly [string, number, number] => r[1] !== null && r[2] !== null);
  const tau = kendallTau(
    both.map((r) => r[1]),
    both.map((r) => r[2]),
  );
  const metric = (score: number) => round4(objectiveValue(score, objective.goal))!;
  return { tau: round4(tau), n: both.length, pairs: both.map((r) => [metric(r[1]), metric(r[2])] as const) };
}

/**
 * The re-ranking's choice: the best by standalone score (the earlier, i.e. better shared-scored,
 * on a tie); when no standalone evaluation succeeded, the best by shared score.
 */
export function recommended(state: RerankState): string | null {
  let best: Reranked | null = null;
  for (const r of state.observed) if (r[2] !== null && (best === null || r[2] > best[2]!)) best = r;
  return best?.[0] ?? state.candidates[0]?.[0] ?? null;
}

export function rerankToJson(s: RerankState): Json {
  return { candidates: s.candidates.map((c) => [...c]), queue: [...s.queue], observed: s.observed.map((r) => [...r]) };
}

export function rerankFromJson(json: Json, method: string): RerankState {
  const o = json as { candidates: [string, number | null][]; queue: string[]; observed: [string, number | null, number | null][] };
  if (o === null || typeof o !== 'object' || !Array.isArray(o.candidates) || !Array.isArray(o.queue) || !Array.isArray(o.observed)) {
    throw new Error(`${method} snapshot: expected {candidates, queue, observed}`);
  }
  return { candidates: o.candidates.map(([a, s]) => [a, s] as const), queue: [...o.queue], observed: o.observed.map(([a, s, t]) => [a, s, t] as const) };
}
