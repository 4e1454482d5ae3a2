import type { RunRow } from './queries.js';

/** A run a leaderboard group does not count, because another run of its seed counts instead. */
export interface LeftOut {
  readonly runId: number;
  readonly seed: number;
  /** 'repeated': a later run of the seed counts; 'not completed': a completed run of the seed counts and this one did not complete. */
  readonly reason: 'repeated' | 'not completed';
}

const completed = (r: RunRow) => r.status === 'completed' && r.finalValue !== null;

/**
 * Each seed counts once: a group that holds several runs of a seed (the same command run twice)
 * counts its latest completed run (the highest run id), or its latest run when none completed;
 * the others are left out, so repeated seeds never pass for independent ones.
 */
export function countedRuns(runs: readonly RunRow[]): { readonly counted: RunRow[]; readonly leftOut: LeftOut[] } {
  const bySeed = new Map<number, RunRow[]>();
  for (const r of runs) bySeed.set(r.seed, [...(bySeed.get(r.seed) ?? []), r]);
  const counted: RunRow[] = [];
  const leftOut: LeftOut[] = [];
  for (const [seed, rs] of bySeed) {
    const latest = (xs: RunRow[]) => xs.reduce((a, b) => (b.id > a.id ? b : a));
    const done = rs.filter(completed);
    const keep = latest(done.length > 0 ? done : rs);
    counted.push(keep);
    for (const r of rs) {
      if (r !== keep) leftOut.push({ runId: r.id, seed, reason: completed(keep) && !completed(r) ? 'not completed' : 'repeated' });
    }
  }
  counted.sort((a, b) => a.id - b.id);
  leftOut.sort((a, b) => a.runId - b.runId);
  return { counted, leftOut };
}

/** "left out runs 1, 2 (seeds 0, 1 again) and 6 (seed 2, not completed)". */
export function describeLeftOut(leftOut: readonly LeftOut[]): string {
  const parts = (['repeated', 'not completed'] as const).flatMap((reason) => {
    const these = leftOut.filter((l) => l.reason === reason);
    if (these.length === 0) return [];
    const seeds = [...new Set(these.map((l) => l.seed))];
    const why = reason === 'repeated' ? ' again' : ', not completed';
    return [`${these.map((l) => l.runId).join(', ')} (seed${seeds.length === 1 ? '' : 's'} ${seeds.join(', ')}${why})`];
  });
  return `left out run${leftOut.length === 1 ? '' : 's'} ${parts.join(' and ')}`;
}
