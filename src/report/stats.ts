import { createRequire } from 'node:module';
import { max, mean, median, min, sampleStandardDeviation, wilcoxonRankSum } from 'simple-statistics';

// @stdlib packages load hundreds of small modules: load them on first use, not with every command.
const require = createRequire(import.meta.url);
let stdlib: { kruskalTest: typeof import('@stdlib/stats-kruskal-test'); tQuantile: typeof import('@stdlib/stats-base-dists-t-quantile') } | undefined;
function lib(): NonNullable<typeof stdlib> {
  return (stdlib ??= { kruskalTest: require('@stdlib/stats-kruskal-test'), tQuantile: require('@stdlib/stats-base-dists-t-quantile') });
}

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  readonly std: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Two-sided 95 % confidence interval of the mean (Student's t, n − 1 degrees of freedom); null below two values. */
  readonly ci95: readonly [number, number] | null;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const xs = values as number[];
  const std = xs.length > 1 ? sampleStandardDeviation(xs) : 0;
  const m = mean(xs);
  return {
    n: xs.length,
    mean: m,
    std,
    median: median(xs),
    min: min(xs),
    max: max(xs),
    ci95: confidenceInterval(m, std, xs.length, 0.95),
  };
}

/** Student-t interval of a mean from its sample statistics. */
export function confidenceInterval(m: number, std: number, n: number, level: number): readonly [number, number] | null {
  if (n < 2) return null;
  const half = lib().tQuantile(1 - (1 - level) / 2, n - 1) * (std / Math.sqrt(n));
  return [m - half, m + half];
}

export interface RankTest {
  /** Mann–Whitney U of the first sample: how many (a, b) pairs have a > b, ties counting one half. */
  readonly u: number;
  /** Two-sided p-value (normal approximation with tie correction, no continuity correction). */
  readonly pValue: number;
  /** P(a > b) + P(a = b)/2 estimated from the samples (U / (n_a n_b)): 0.5 means no tendency. */
  readonly superiority: number;
}

/**
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test. With two groups the Kruskal–Wallis H equals
 * the squared z of the rank-sum test (both tie-corrected), so its χ²(1) p-value is exactly the
 * two-sided normal-approximation p of Mann–Whitney; the U statistic comes from the rank sum.
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest | null {
  if (a.length === 0 || b.length === 0) return null;
  const xs = a as number[];
  const ys = b as number[];
  const u = wilcoxonRankSum(xs, ys) - (xs.length * (xs.length + 1)) / 2;
  // Every value equal: no ranks to tell the samples apart (the statistic is 0/0).
  const allTied = xs.every((x) => x === xs[0]) && ys.every((y) => y === xs[0]);
  const p = allTied ? 1 : lib().kruskalTest(xs, ys).pValue;
  return { u, pValue: Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 1, superiority: u / (xs.length * ys.length) };
}
