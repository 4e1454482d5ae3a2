import type { Member } from '../nao/state.js';

/**
 * The pool as NAO-WS keeps it: canonical strings with their latest shared-weight score (higher is
 * better; null before the first scoring or when the score was not finite) and whether the EPD
 * keeps away from them (NAO's held-out flag, kept as long as the architecture stays in the pool).
 */
export type PoolMember = Member;

/** Best shared score first; unscored ones last; ties keep pool order. */
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
 * What to train from scratch after the search: `count` pool members, most of them the top of the
 * shared-score ranking (in that order) and a `spread` share picked evenly from the rest of the
 * ranking down to its bottom, so that the rank correlation between shared and standalone scores
 * is measured over the range the supernet saw, not only among architectures it scores alike.
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
