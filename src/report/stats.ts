import jstat from 'jstat';
import { max, mean, median, min, sampleStandardDeviation, wilcoxonRankSum } from 'simple-statistics';

const { jStat } = jstat; // a CommonJS module: Node's ESM sees no named exports

/** Student's t quantile: jstat's inverse, polished by Newton steps on its CDF (jstat's own inverse is good to about 1e-8). */
function tQuantile(p: number, df: number): number {
  let x = jStat.studentt.inv(p, df);
  for (let i = 0; i < 3; i++) x -= (jStat.studentt.cdf(x, df) - p) / jStat.studentt.pdf(x, df);
  return x;
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
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (std / Math.sqrt(n));
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
 * Two-sided Mann–Whitney U (Wilcoxon rank-sum) test: U from the rank sum (average ranks for ties), z with the tie-corrected variance nₐn_b/12 · ((n+1) − Σ(t³−t)/(n(n−1))), p = 2Φ(−|z|)
 * (no continuity correction, as scipy.stats.mannwhitneyu with use_continuity=False).
 */
export function mannWhitney(a: readonly number[], b: readonly number[]): RankTest | null {
  if (a.length === 0 || b.length === 0) return null;
  const xs = a as number[];
  const ys = b as number[];
  const n = xs.length + ys.length;
  // Each group of t equal values shrinks the variance by t³ − t.
  const counts = new Map<number, number>();
  for (const v of [...xs, ...ys]) counts.set(v, (counts.get(v) ?? 0) + 1);
  const ties = [...counts.values()].reduce((sum, t) => sum + t * t * t - t, 0);
  const [na, nb] = [a.length, b.length];
  const u = wilcoxonRankSum(xs, ys) - (na * (na + 1)) / 2;
  const variance = ((na * nb) / 12) * (n + 1 - ties / (n * (n - 1)));
  // Every value equal: no ranks to tell the samples apart (the statistic is 0/0).
  const p = variance > 0 ? 2 * jStat.normal.cdf(-Math.abs((u - (na * nb) / 2) / Math.sqrt(variance)), 0, 1) : 1;
  return { u, pValue: Number.isFinite(p) ? Math.min(1, Math.max(0, p)) : 1, superiority: u / (na * nb) };
}
