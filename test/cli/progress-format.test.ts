import { describe, expect, it } from 'vitest';
import { fitToColumns, formatEta, formatLoss, formatRate, formatRuns, progressBar, remainingSeconds, searchLine, trainingLine } from '../../src/cli/progress-format.js';

describe('progress text', () => {
  it('carries rounded seconds into minutes and hours: 8m59.6s is 9m00s, never 8m60s', () => {
    expect(formatEta(8 * 60 + 59.6)).toBe('9m00s');
    expect(formatEta(59.6)).toBe('1m00s');
    expect(formatEta(59.4)).toBe('59s');
    expect(formatEta(0)).toBe('0s');
    expect(formatEta(61)).toBe('1m01s');
    expect(formatEta(3599.6)).toBe('1h00m');
    expect(formatEta(3600 + 59 * 60 + 40)).toBe('2h00m');
    expect(formatEta(2 * 3600 + 5 * 60)).toBe('2h05m');
    for (const s of [0.4, 59.5, 119.5, 539.6, 3599.5, 7199.9]) expect(formatEta(s)).not.toMatch(/60[sm]/);
  });

  it('an ETA that cannot be known (NaN, Infinity, negative, none) is "unknown"', () => {
    for (const s of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, null]) expect(formatEta(s)).toBe('unknown');
    expect(remainingSeconds(0, 20, 30)).toBeNull();
    expect(remainingSeconds(5, 0, 30)).toBeNull();
    expect(remainingSeconds(5, 20, Number.NaN)).toBeNull();
    expect(remainingSeconds(5, 20, 50)).toBe(150);
    expect(remainingSeconds(25, 20, 50)).toBe(0);
    expect(formatEta(remainingSeconds(0, 0, 0))).toBe('unknown');
  });

  it('zero totals print no "0/0" runs, no NaN and an empty bar', () => {
    expect(formatRuns(0, 0)).toBe('');
    expect(formatRuns(1, 4)).toBe('runs 1/4');
    expect(progressBar(0, 0, 10)).toBe('░'.repeat(10));
    expect(progressBar(5, 10, 10)).toBe('█'.repeat(5) + '░'.repeat(5));
    expect(progressBar(Number.NaN, 10, 4)).toBe('░░░░');
    expect(formatRate(0, 10)).toBe('–');
    expect(formatRate(10, 0)).toBe('–');
    expect(formatRate(300, 2)).toBe('150/s');
    expect(formatRate(3, 2)).toBe('1.5/s');
    expect(formatRate(2, 119.4)).toBe('1m00s each');
    expect(formatLoss(Number.NaN)).toBe('not finite');
    expect(formatLoss(2.34567)).toBe('2.346');
    const line = searchLine({ done: 0, total: 0, runsDone: 0, runsTotal: 0, elapsedSeconds: 0, last: null, child: null });
    expect(line).not.toMatch(/NaN|Infinity|NF|0\/0 runs|runs 0\/0/);
    expect(line).toContain('eta unknown');
  });

  it('the search bar shows the latest result and the child in training, and says when the search is done', () => {
    const line = searchLine({ done: 12, total: 20, runsDone: 0, runsTotal: 1, elapsedSeconds: 600, last: 'valid_ppl 612.30', child: 'child #13: step 40/214, loss 5.123' });
    expect(line).toBe(`runs 0/1 | ${progressBar(12, 20)} 12/20 evaluations | 50s each | eta 6m40s | last valid_ppl 612.30 | child #13: step 40/214, loss 5.123`);
    expect(searchLine({ done: 20, total: 20, runsDone: 0, runsTotal: 1, elapsedSeconds: 1000, last: 'valid_ppl 600.00', child: null })).toContain('| search done |');
  });

  it('a training bar times the steps after the first one it saw', () => {
    const first = trainingLine({ label: 'final training, run 3', step: 1, steps: 2140, loss: 6.5, timedFrom: 1, elapsedSeconds: 0 });
    expect(first).toBe(`final training, run 3 | ${progressBar(1, 2140)} 1/2140 steps | loss 6.500 | eta unknown`);
    const later = trainingLine({ label: 'final training, run 3', step: 101, steps: 2140, loss: 5.25, timedFrom: 1, elapsedSeconds: 60 });
    expect(later).toMatch(/101\/2140 steps \| loss 5\.250 \| eta 20m23s$/);
  });

  it('cuts a line to the terminal width, by display width', () => {
    expect(fitToColumns('abcdef', 6)).toBe('abcdef');
    expect(fitToColumns('abcdefg', 6)).toBe('abcde…');
    expect(fitToColumns('█'.repeat(10), 5)).toBe('████…');
  });
});
