import { chiSquaredDistributionTable, quantile, sampleRankCorrelation, sampleStandardDeviation } from 'simple-statistics';
import { kendallTau } from '../api/kit/kendall.js';
import { Rng } from '../api/rng.js';

/** A statistic with its 95 % percentile-bootstrap interval (null where it is undefined). */
export interface Estimate {
  readonly value: number | null;
  readonly ci95: readonly [number, number] | null;
}

export interface RankAgreement {
  /** Paired cells the figures are over. */
  readonly cells: number;
  readonly kendall: Estimate;
  readonly spearman: Estimate;
}

/** Spearman's ρ (Pearson's r of the ranks, ties at their mean rank); null when either sample is constant or shorter than 2. */
export function spearmanRho(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length) throw new Error(`spearmanRho: samples of different lengths (${x.length} and ${y.length})`);
  if (x.length < 2 || new Set(x).size < 2 || new Set(y).size < 2) return null;
  return sampleRankCorrelation(x as number[], y as number[]);
}

/**
 * Percentile bootstrap of a paired statistic: cells are drawn with replacement `resamples` times
 * (seeded, so a report is reproducible) and the 2.5th and 97.5th percentiles of the statistic
 * taken over the resamples where it is defined (a resample of one distinct cell has no ranking).
 */
export function bootstrapInterval(
  x: readonly number[],
  y: readonly number[],
  statistic: (x: readonly number[], y: readonly number[]) => number | null,
  resamples = 2000,
  seed = 0,
): readonly [number, number] | null {
  if (x.length < 3) return null;
  const rng = Rng.seeded(seed);
  const values: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const picks = Array.from({ length: x.length }, () => rng.int(x.length));
    const v = statistic(picks.map((i) => x[i]!), picks.map((i) => y[i]!));
    if (v !== null && Number.isFinite(v)) values.push(v);
  }
  if (values.length < resamples / 2) return null;
  return [quantile(values, 0.025), quantile(values, 0.975)];
}

/** Kendall's τ-b and Spearman's ρ between paired samples (higher is better in both), each with its bootstrap interval. */
export function rankAgreement(x: readonly number[], y: readonly number[], resamples = 2000, seed = 0): RankAgreement {
  return {
    cells: x.length,
    kendall: { value: kendallTau(x, y), ci95: bootstrapInterval(x, y, kendallTau, resamples, seed) },
    spearman: { value: spearmanRho(x, y), ci95: bootstrapInterval(x, y, spearmanRho, resamples, seed) },
  };
}

export interface SeedNoise {
  readonly cells: number;
  /** Standard deviation of one measurement due to the seed alone: sd of the paired differences / √2. */
  readonly withinCell: number;
  /** Standard deviation between cells of the first seed's values. */
  readonly betweenCells: number;
  /** Kendall τ between the two seeds' rankings of the same cells. */
  readonly seedTau: number | null;
}

/** How much of the spread between cells the seed alone would make: two seeds of the same cells. */
export function seedNoise(first: readonly number[], second: readonly number[]): SeedNoise | null {
  if (first.length !== second.length) throw new Error(`seedNoise: samples of different lengths (${first.length} and ${second.length})`);
  if (first.length < 2) return null;
  const diffs = first.map((a, i) => a - second[i]!);
  return {
    cells: first.length,
    withinCell: sampleStandardDeviation(diffs) / Math.SQRT2,
    betweenCells: sampleStandardDeviation(first as number[]),
    seedTau: kendallTau(first, second),
  };
}

/**
 * The Kendall τ a noiseless ranking of the cells can expect against one measurement with seed
 * noise sd `withinCell` where the measurements' spread between cells is `betweenCells`: with the
 * cells' true values and the noise both normal, a measurement correlates with the truth at √R,
 * R = 1 − within² / between² (the share of the spread that is not noise), and
 * τ = (2/π)·asin(√R) (Greiner's relation); 0 when the noise is as large as the spread. A search
 * signal is compared with one final, so this bounds what it can be expected to reach.
 */
export function attainableTau(withinCell: number, betweenCells: number): number {
  const reliability = 1 - (withinCell / betweenCells) ** 2;
  return reliability <= 0 ? 0 : (2 / Math.PI) * Math.asin(Math.sqrt(reliability));
}

/**
 * attainableTau with a 95 % interval from the uncertainty of the within-cell sd alone (a χ²
 * interval on its n − 1 degrees of freedom, n cells trained twice); `betweenCells` is taken as
 * known. Null below 2 cells or beyond the χ² table.
 */
export function attainableTauEstimate(noise: SeedNoise, betweenCells: number): Estimate | null {
  const df = noise.cells - 1;
  const chi = (chiSquaredDistributionTable as Partial<Record<number, (typeof chiSquaredDistributionTable)[1]>>)[df];
  if (df < 1 || !chi) return null;
  // The table gives x with P(χ² > x) = p: the variance's interval is df·s² / x over p = 0.025 and 0.975.
  const widest = noise.withinCell * Math.sqrt(df / chi[0.975]);
  const narrowest = noise.withinCell * Math.sqrt(df / chi[0.025]);
  return { value: attainableTau(noise.withinCell, betweenCells), ci95: [attainableTau(widest, betweenCells), attainableTau(narrowest, betweenCells)] };
}
