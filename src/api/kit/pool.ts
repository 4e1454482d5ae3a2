import type { Rng } from '../rng.js';
import type { Objective, SearchContext } from '../plugin.js';
import type { Supernet } from '../supernet.js';
import { objectiveValue, orientedScore, round4 } from './scores.js';

/**
 * A candidate architecture in a method's pool: its canonical string, its latest score (oriented:
 * higher is better; null before it was scored, when it failed, or when the score was not finite)
 * and whether a predictor is kept from ever training on it.
 */
export interface PoolMember {
  /** Canonical string. */
  readonly arch: string;
  /** Higher is better; null when unscored or failed. */
  readonly score: number | null;
  /**
   * Whether the predictor is kept from ever training on it, to measure ranking accuracy honestly
   * (a predictor that continues from earlier rounds would otherwise be tested on architectures
   * it has already learnt). Null until the first training that sees it.
   */
  heldOut: boolean | null;
}

/** Best score first; unscored ones last; ties keep pool order. */
export function ranked(pool: readonly PoolMember[]): PoolMember[] {
  const key = (m: PoolMember) => m.score ?? -Infinity;
  return [...pool].sort((a, b) => (key(a) === key(b) ? 0 : key(b) - key(a)));
}

/** The pool after a renewal: its top kept, the bottom replaced by `incoming` (new members, unscored). */
export function replaceBottom(pool: readonly PoolMember[], incoming: readonly string[]): PoolMember[] {
  if (incoming.length >= pool.length) throw new Error(`replaceBottom: ${incoming.length} incoming architectures would replace the whole pool of ${pool.length}`);
  const kept = ranked(pool).slice(0, pool.length - incoming.length);
  return [...kept, ...incoming.map((arch): PoolMember => ({ arch, score: null, heldOut: null }))];
}

/**
 * What to train from scratch after a weight-sharing search: `count` pool members, most of them
 * the top of the shared-score ranking (in that order) and a `spread` share picked evenly from the
 * rest of the ranking down to its bottom, so that the rank correlation between shared and
 * standalone scores is measured over the range the supernet saw, not only among architectures it
 * scores alike.
 */
export function rerankCandidates(pool: readonly PoolMember[], count: number, spread: number): PoolMember[] {
  const order = ranked(pool);
  const n = Math.min(count, order.length);
  if (n <= 0) return [];
  // The best-scored architecture is always among them.
  const below = Math.min(Math.round(spread * n), n - 1);
  const top = order.slice(0, n - below);
  const rest = order.slice(n - below);
  const picked = Array.from({ length: below }, (_, j) => rest[Math.round(((j + 1) * rest.length) / below) - 1]!);
  return [...top, ...picked];
}

/** Uniform samples that are in none of `exclude` (nor repeated); fewer when the space runs dry. */
export function randomUnique(ctx: Pick<SearchContext, 'space' | 'rng'>, count: number, exclude: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (let tries = 0; out.size < count && tries < 1000 * count; tries++) {
    const key = ctx.space.format(ctx.space.sample(ctx.rng));
    if (!exclude.has(key)) out.add(key);
  }
  return [...out];
}

/** Marks a share of the scored members no training has seen yet as held out, for good. */
export function assignHoldout(pool: PoolMember[], share: number, rng: Rng): void {
  const fresh = pool.filter((m) => m.heldOut === null && m.score !== null);
  const chosen = new Set(rng.sample(fresh, Math.round(share * fresh.length)));
  for (const m of fresh) m.heldOut = chosen.has(m);
}

/** What scoring a pool uses of the run's context. */
export type PoolContext = Pick<SearchContext, 'space' | 'task'>;

/** Every member's shared-weight score on the same first `batches` validation minibatches, oriented so that higher is better. */
export async function scorePool(ctx: PoolContext, supernet: Supernet, pool: readonly PoolMember[], batches: number): Promise<PoolMember[]> {
  const { metric, goal } = ctx.task.objective;
  const scored: PoolMember[] = [];
  for (const m of pool) {
    const value = (await supernet.score(ctx.space.parse(m.arch), { batches, fixed: true }))[metric];
    const score = value !== undefined && Number.isFinite(value) ? orientedScore(value, goal) : null;
    scored.push({ ...m, score });
  }
  return scored;
}

/** How many members have a score, and the best, median and worst of them in the objective's units. */
export interface PoolStats {
  readonly scored: number;
  readonly unscored: number;
  readonly poolBest: number | null;
  readonly poolMedian: number | null;
  readonly poolWorst: number | null;
}

export function poolStats(ctx: { readonly task: { readonly objective: Objective } }, pool: readonly PoolMember[]): PoolStats {
  const metric = (score: number) => round4(objectiveValue(score, ctx.task.objective.goal));
  const scores = ranked(pool)
    .map((m) => m.score)
    .filter((s): s is number => s !== null);
  return {
    scored: scores.length,
    unscored: pool.length - scores.length,
    poolBest: scores.length > 0 ? metric(scores[0]!) : null,
    poolMedian: scores.length > 0 ? metric(scores[Math.floor((scores.length - 1) / 2)]!) : null,
    poolWorst: scores.length > 0 ? metric(scores.at(-1)!) : null,
  };
}
