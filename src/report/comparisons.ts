import type { Group } from './leaderboard.js';
import { mannWhitney } from './stats.js';

/** Significance level below which one method is said to beat another. */
export const ALPHA = 0.05;

/** Fewest distinct seeds a group needs before its results are tested against another's. */
export const MIN_SEEDS_TO_TEST = 3;

export interface Comparison {
  readonly task: string;
  readonly a: string;
  readonly b: string;
  readonly nA: number;
  readonly nB: number;
  readonly medianA: number;
  readonly medianB: number;
  /** Mann–Whitney U of a's final results against b's. */
  readonly u: number;
  /** Two-sided p-value. */
  readonly pValue: number;
  /** The better one when p < ALPHA, judged by the task's goal; null when the difference is not significant. */
  readonly better: string | null;
}

/** Every pair of leaderboard rows on the same task, tested on their runs' final results. */
export function pairwiseComparisons(groups: readonly Group[]): Comparison[] {
  const out: Comparison[] = [];
  groups.forEach((a, i) => {
    for (const b of groups.slice(i + 1)) {
      if (a.row.task !== b.row.task) continue;
      if (a.finals.length < MIN_SEEDS_TO_TEST || b.finals.length < MIN_SEEDS_TO_TEST) continue;
      const test = mannWhitney(a.finals, b.finals);
      if (test === null) continue;
      // U above half of all pairs means a's results tend to be larger.
      const aLarger = test.superiority > 0.5;
      const aBetter = a.row.goal === 'max' ? aLarger : !aLarger;
      out.push({
        task: a.row.task,
        a: a.row.label,
        b: b.row.label,
        nA: a.finals.length,
        nB: b.finals.length,
        medianA: a.row.final!.median,
        medianB: b.row.final!.median,
        u: test.u,
        pValue: test.pValue,
        better: test.pValue < ALPHA && test.superiority !== 0.5 ? (aBetter ? a.row.label : b.row.label) : null,
      });
    }
  });
  return out;
}
