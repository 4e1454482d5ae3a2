import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticKind } from '../../src/api/index.js';
import { buildReport } from '../../src/report/build.js';
import { reportCharts } from '../../src/report/charts.js';
import { improvements } from '../../src/report/queries.js';
import type { Store } from '../../src/store/store.js';
import { insertExperiment, tempStore, type FakeRun } from './fixtures.js';

let store: Store;
afterEach(() => store?.close());

/** Deterministic pseudo-random values, with failed evaluations (null) mixed in. */
function values(seed: number, n: number): (number | null)[] {
  let s = seed;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % 7 === 0 ? null : 60 + (s % 1000) / 25;
  });
}

function bestSoFar(xs: readonly (number | null)[], goal: 'max' | 'min'): (number | null)[] {
  let best: number | null = null;
  return xs.map((x) => {
    if (x !== null && (best === null || (goal === 'max' ? x > best : x < best))) best = x;
    return best;
  });
}

const runOf = (xs: (number | null)[], seconds: (k: number) => number): FakeRun => ({
  final: 90,
  evaluations: xs.map((value, k) => ({ value, seconds: seconds(k), kind: 'gpu' })),
});

describe('anytime curves', () => {
  it('SQL improvements are exactly the best-so-far changes of every run, with the device time spent', () => {
    ({ store } = tempStore());
    const runs = [1, 2, 3, 4].map((seed) => values(seed, 60));
    const ids = insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: runs.map((xs) => runOf(xs, (k) => 1 + (k % 3))) });
    const found = improvements(store, {}, 1);
    runs.forEach((xs, i) => {
      const best = bestSoFar(xs, 'max');
      const expected = best.flatMap((b, k) => (b !== null && b !== (k > 0 ? best[k - 1] : null) ? [{ ordinal: k, best: b }] : []));
      const mine = found.filter((f) => f.runId === ids[i]);
      expect(mine.map((f) => ({ ordinal: f.ordinal, best: f.best }))).toEqual(expected);
      for (const f of mine) expect(f.elapsed).toBe(Array.from({ length: f.ordinal + 1 }, (_, k) => 1 + (k % 3)).reduce((a, b) => a + b, 0));
    });
    // Minimising walks the other way.
    const lows = improvements(store, { runIds: [ids[0]!] }, -1);
    const best = bestSoFar(runs[0]!, 'min');
    expect(lows.at(-1)!.best).toBe(best.at(-1));
  });

  it('averages best-so-far over seeds at every evaluation count and device-hour checkpoint', () => {
    ({ store } = tempStore());
    const runs = [11, 12, 13].map((seed) => values(seed, 30));
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', budget: 30, runs: runs.map((xs) => runOf(xs, () => 360)) });
    const report = buildReport(store, {}, { curves: true, published: false });
    const [a] = report.anytime!;
    const evals = a!.byEvaluations[0]!.points;
    expect(evals.map((p) => p.x)).toEqual(Array.from({ length: 30 }, (_, k) => k + 1));
    const bests = runs.map((xs) => bestSoFar(xs, 'max'));
    for (const p of evals) {
      const here = bests.map((b) => b[p.x - 1]).filter((b): b is number => b !== null);
      const m = here.reduce((s, b) => s + b, 0) / here.length;
      expect(p.n).toBe(here.length);
      expect(p.mean).toBeCloseTo(m, 9);
      const sd = here.length > 1 ? Math.sqrt(here.reduce((s, b) => s + (b - m) ** 2, 0) / (here.length - 1)) : 0;
      expect(p.std).toBeCloseTo(sd, 6);
    }
    // 30 evaluations of 0.1 GPU-hour each: the last checkpoint is 3 h with every run's final best.
    const hours = a!.byDeviceHours[0]!.points;
    expect(hours.at(-1)!.x).toBeCloseTo(3, 12);
    expect(hours.at(-1)!.mean).toBeCloseTo(evals.at(-1)!.mean, 9);
    expect(a!.deviceKinds).toEqual(['gpu']);
    const charts = reportCharts(report).map((c) => c.id);
    expect(charts).toEqual(['anytime-evaluations-nb201-cifar10', 'anytime-hours-nb201-cifar10', 'final-nb201-cifar10']);
  });

  it('draws the NAO predictor scatter only when runs recorded predicted/true pairs', () => {
    ({ store } = tempStore());
    const [withPairs] = insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', runs: [runOf(values(5, 10), () => 1)] });
    insertExperiment(store, { task: 'nb201-cifar100', method: 'nao', runs: [runOf(values(6, 10), () => 1)] });
    let report = buildReport(store, {}, { curves: false, published: false });
    expect(report.predictions).toEqual([]);
    store.recordDiagnostic(withPairs!, 10, DiagnosticKind.predictorIteration, { pairs: [{ predicted: 0.9, true: 0.8 }, [0.7, 0.75]] });
    store.recordDiagnostic(withPairs!, 20, DiagnosticKind.predictorIteration, { predicted: [0.6], true: [0.65] });
    store.recordDiagnostic(withPairs!, 30, DiagnosticKind.predictorIteration, { iteration: 3 });
    report = buildReport(store, {}, { curves: false, published: false });
    expect(report.predictions).toHaveLength(1);
    expect(report.predictions[0]!.task).toBe('nb201-cifar10');
    expect(report.predictions[0]!.series[0]!.points).toEqual([
      { predicted: 0.9, actual: 0.8 },
      { predicted: 0.7, actual: 0.75 },
      { predicted: 0.6, actual: 0.65 },
    ]);
    expect(reportCharts(report).map((c) => c.id)).toContain('predictions-nb201-cifar10');
  });

  it('takes NAO-WS pairs from each round of its list of rounds', () => {
    ({ store } = tempStore());
    const [run] = insertExperiment(store, { task: 'fashion-mnist', method: 'nao-ws', runs: [runOf(values(7, 4), () => 1)] });
    store.recordDiagnostic(run!, 0, DiagnosticKind.predictorRounds, [{ iteration: 1, pairs: [[41.5, 40]] }, { iteration: 2, pairs: [[52, 55.5], [48, 47]] }, { iteration: 3, pairs: [] }]);
    const report = buildReport(store, {}, { curves: false, published: false });
    expect(report.predictions.map((p) => [p.task, p.series.map((s) => s.points)])).toEqual([
      [
        'fashion-mnist',
        [
          [
            { predicted: 41.5, actual: 40 },
            { predicted: 52, actual: 55.5 },
            { predicted: 48, actual: 47 },
          ],
        ],
      ],
    ]);
  });
});
