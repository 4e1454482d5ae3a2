import { max, mean, median, min, sampleStandardDeviation } from 'simple-statistics';

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  readonly std: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export function summarize(values: readonly number[]): Summary | null {
  if (values.length === 0) return null;
  const xs = values as number[];
  return {
    n: xs.length,
    mean: mean(xs),
    std: xs.length > 1 ? sampleStandardDeviation(xs) : 0,
    median: median(xs),
    min: min(xs),
    max: max(xs),
  };
}
