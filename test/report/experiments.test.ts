import { describe, expect, it } from 'vitest';
import { experimentSummaries, seedRanges } from '../../src/report/experiments.js';
import type { RunRecord } from '../../src/store/types.js';

const run = (id: number, experimentId: number, seed: number, status: RunRecord['status'], startedAt: string | null): RunRecord =>
  ({ id, experimentId, seed, status, startedAt, method: `m${experimentId}`, task: 'nb201-cifar10', budget: 150 }) as unknown as RunRecord;

describe('experiment summaries', () => {
  it('writes seeds as ranges', () => {
    expect(seedRanges([3, 0, 1, 2, 7, 9, 10])).toBe('0–3, 7, 9–10');
    expect(seedRanges([5])).toBe('5');
  });

  it('groups runs by experiment, newest first, with status counts and the first start', () => {
    const runs = [
      run(1, 1, 0, 'completed', '2026-01-02T10:00:00Z'),
      run(2, 1, 1, 'failed', '2026-01-02T09:00:00Z'),
      run(3, 1, 2, 'completed', null),
      run(4, 2, 7, 'pending', null),
    ];
    expect(experimentSummaries(runs)).toEqual([
      { id: 2, method: 'm2', task: 'nb201-cifar10', budget: 150, seeds: '7', runs: 1, status: '1 pending', started: null },
      { id: 1, method: 'm1', task: 'nb201-cifar10', budget: 150, seeds: '0–2', runs: 3, status: '2 completed, 1 failed', started: '2026-01-02T09:00:00Z' },
    ]);
  });
});
