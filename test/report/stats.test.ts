import { mean, sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { confidenceInterval, mannWhitney, summarize } from '../../src/report/stats.js';

describe('summary statistics', () => {
  it('gives mean, sample std and the Student-t 95 % interval of the mean', () => {
    const xs = [93.1, 93.5, 94.0, 92.8, 93.9, 94.2, 93.3, 93.7, 93.0, 94.1];
    const s = summarize(xs)!;
    expect(s.mean).toBeCloseTo(mean(xs), 12);
    expect(s.std).toBeCloseTo(sampleStandardDeviation(xs), 12);
    // t(0.975, 9) = 2.2621571627982
    const half = (2.2621571627982 * s.std) / Math.sqrt(xs.length);
    expect(s.ci95![0]).toBeCloseTo(s.mean - half, 9);
    expect(s.ci95![1]).toBeCloseTo(s.mean + half, 9);
    expect(s.median).toBeCloseTo(93.6, 12);
  });

  it('has no interval for a single value and nothing for none', () => {
    expect(summarize([5])).toMatchObject({ n: 1, mean: 5, std: 0, ci95: null });
    expect(summarize([])).toBeNull();
    expect(confidenceInterval(0, 1, 1, 0.95)).toBeNull();
  });
});

describe('Mann–Whitney U', () => {
  it('finds two clearly different samples different (p < 0.05)', () => {
    const a = [93.9, 94.1, 94.2, 94.0, 94.3, 94.1, 93.8, 94.4, 94.2, 94.0];
    const b = [93.0, 93.2, 92.9, 93.1, 93.4, 93.3, 92.8, 93.0, 93.5, 93.1];
    const t = mannWhitney(a, b)!;
    expect(t.pValue).toBeLessThan(0.05);
    expect(t.u).toBe(100);
    expect(t.superiority).toBe(1);
  });

  it('does not find identical samples different', () => {
    const a = [1, 2, 3, 4, 5, 6];
    expect(mannWhitney(a, [...a])!.pValue).toBe(1);
    expect(mannWhitney([7, 7, 7], [7, 7])!.pValue).toBe(1);
  });

  it('matches the reference two-sided normal approximation with ties (scipy.stats.mannwhitneyu, no continuity correction)', () => {
    const t = mannWhitney([1, 2, 2, 3, 4, 5, 6], [3, 4, 4, 5, 7, 8, 9, 9])!;
    expect(t.u).toBe(10);
    expect(t.pValue).toBeCloseTo(0.035893149244152815, 12);
  });

  it('needs a value on each side', () => {
    expect(mannWhitney([], [1, 2])).toBeNull();
  });
});
