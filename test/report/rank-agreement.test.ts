import { describe, expect, it } from 'vitest';
import { attainableTau, attainableTauEstimate, bootstrapInterval, rankAgreement, seedNoise, spearmanRho } from '../../src/report/rank-agreement.js';
import { kendallTau, Rng } from '../../src/api/index.js';

describe('rank agreement', () => {
  it('gives τ = ρ = 1 for the same order and −1 for the reverse', () => {
    const x = [1, 2, 3, 4, 5, 6];
    const up = rankAgreement(x, [10, 20, 30, 40, 50, 60]);
    expect(up.kendall.value).toBe(1);
    expect(up.spearman.value).toBeCloseTo(1, 12);
    const down = rankAgreement(x, [6, 5, 4, 3, 2, 1]);
    expect(down.kendall.value).toBe(-1);
    expect(down.spearman.value).toBeCloseTo(-1, 12);
  });

  it('matches hand-computed τ and ρ for one swapped pair of five', () => {
    // Ranks 1 2 3 4 5 against 1 2 4 3 5: 9 concordant and 1 discordant pair of 10; Σd² = 2.
    const x = [1, 2, 3, 4, 5];
    const y = [1, 2, 4, 3, 5];
    expect(kendallTau(x, y)).toBeCloseTo(0.8, 12);
    expect(spearmanRho(x, y)).toBeCloseTo(1 - (6 * 2) / (5 * 24), 12);
  });

  it('has no ρ for a constant sample and no interval below three cells', () => {
    expect(spearmanRho([1, 2, 3], [4, 4, 4])).toBeNull();
    expect(bootstrapInterval([1, 2], [1, 2], kendallTau)).toBeNull();
  });

  it('bootstraps a reproducible interval that holds the estimate, narrower with more agreeing cells', () => {
    const n = 16;
    const x = Array.from({ length: n }, (_, i) => i);
    // Agreeing order with a few local swaps.
    const y = x.map((v, i) => v + (i % 3 === 0 ? 1.5 : 0));
    const a = rankAgreement(x, y, 500, 7);
    const b = rankAgreement(x, y, 500, 7);
    expect(a.kendall.ci95).toEqual(b.kendall.ci95);
    const [lo, hi] = a.kendall.ci95!;
    expect(lo).toBeLessThanOrEqual(a.kendall.value!);
    expect(hi).toBeGreaterThanOrEqual(a.kendall.value!);
    expect(lo).toBeGreaterThan(0);
    // Unrelated samples: the interval straddles 0.
    const noise = [3, 11, 0, 7, 14, 2, 9, 5, 12, 1, 15, 6, 10, 4, 13, 8];
    const [nlo, nhi] = rankAgreement(x, noise, 500, 7).kendall.ci95!;
    expect(nlo).toBeLessThan(0);
    expect(nhi).toBeGreaterThan(0);
  });

  it('separates seed noise within cells from the spread between cells', () => {
    // Four cells 10 apart, each measured twice ±1.
    const first = [10, 20, 30, 40];
    const second = [11, 19, 31, 39];
    const noise = seedNoise(first, second)!;
    expect(noise.cells).toBe(4);
    // Differences −1, 1, −1, 1: sd 2/√3·… computed directly.
    const diffs = [-1, 1, -1, 1];
    const m = 0;
    const sd = Math.sqrt(diffs.reduce((s, d) => s + (d - m) ** 2, 0) / 3);
    expect(noise.withinCell).toBeCloseTo(sd / Math.SQRT2, 12);
    expect(noise.betweenCells).toBeCloseTo(Math.sqrt((15 ** 2 + 5 ** 2 + 5 ** 2 + 15 ** 2) / 3), 12);
    expect(noise.seedTau).toBe(1);
    expect(seedNoise([1], [2])).toBeNull();
  });

  it('bounds the τ a noiseless ranking can reach against one noisy measurement', () => {
    expect(attainableTau(0, 2)).toBe(1);
    // Half the spread is noise: correlation √½ with the truth, τ = (2/π)·asin(√½) = ½.
    expect(attainableTau(1, Math.SQRT2)).toBeCloseTo(0.5, 12);
    expect(attainableTau(2, 2)).toBe(0);
    // And a simulation agrees: true values and noise of equal variance, 1,500 cells.
    const rng = Rng.seeded(4);
    const truth = Array.from({ length: 1500 }, () => rng.normal());
    const measured = truth.map((t) => t + rng.normal());
    expect(kendallTau(truth, measured)!).toBeCloseTo(attainableTau(1, Math.SQRT2), 1);
  });

  it('gives the attainable τ an interval from the χ² interval of the within-cell sd', () => {
    // Six cells trained twice: 5 degrees of freedom, χ² quantiles 0.831 and 12.833.
    const noise = { cells: 6, withinCell: 0.4, betweenCells: 0.5, seedTau: null };
    const e = attainableTauEstimate(noise, 0.6)!;
    expect(e.value).toBe(attainableTau(0.4, 0.6));
    expect(e.ci95![0]).toBeCloseTo(attainableTau(0.4 * Math.sqrt(5 / 0.831), 0.6), 3);
    expect(e.ci95![1]).toBeCloseTo(attainableTau(0.4 * Math.sqrt(5 / 12.833), 0.6), 3);
    expect(e.ci95![0]).toBe(0);
    expect(e.ci95![1]).toBeGreaterThan(e.value!);
    expect(attainableTauEstimate({ ...noise, cells: 1 }, 0.6)).toBeNull();
  });
});
