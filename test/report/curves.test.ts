import { afterEach, describe, expect, it } from 'vitest';
import { DiagnosticKind, kendallTau } from '../../src/api/index.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { runExperiment } from '../../src/harness/experiment.js';
import { buildReport } from '../../src/report/build.js';
import { reportCharts, type ChartSpec } from '../../src/report/charts.js';
import { methodColor, OKABE_ITO } from '../../src/report/colors.js';
import { improvements } from '../../src/report/queries.js';
import type { Store } from '../../src/store/store.js';
import { allNb201Strings, syntheticAccuracy, writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { insertExperiment, tempStore, type FakeRun } from './fixtures.js';

/** The mean and sample std of the non-null values. */
function meanStd(xs: readonly (number | null)[]): { mean: number; std: number; n: number } {
  const here = xs.filter((x): x is number => x !== null);
  const mean = here.reduce((s, x) => s + x, 0) / here.length;
  const std = here.length > 1 ? Math.sqrt(here.reduce((s, x) => s + (x - mean) ** 2, 0) / (here.length - 1)) : 0;
  return { mean, std, n: here.length };
}

type Dataset = { label: string; borderColor?: string; backgroundColor?: string | string[]; borderDash?: number[]; order?: number; band?: boolean };
const datasetsOf = (c: ChartSpec) => (c.config.data as { datasets: Dataset[] }).datasets;
const scalesOf = (c: ChartSpec) => (c.config.options as { scales: Record<string, { type?: string; min?: number; max?: number }> }).scales;

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

  it('tabular tasks: the 200-epoch test accuracy and regret of the cell the search signal ranks best so far, never the best test cell; no device-hours chart', async () => {
    ({ store } = tempStore());
    const dataDir = resolveDataDir(writeNb201Fixture(), {});
    const budget = 40;
    await runExperiment(store, { method: 'random', task: 'nb201-cifar10', seeds: [0, 1, 2], budget, params: [], dataDir });
    // The fixture's CIFAR-10 200-epoch test accuracy of a cell, and the best of the whole table.
    const test = (arch: string) => syntheticAccuracy(arch, 7, 20);
    const optimum = Math.max(...allNb201Strings().map(test));

    // Expected from the stored search signal alone: the run's incumbent after k evaluations is its
    // strictly best validation accuracy so far (earliest first), as the run picks its result.
    const runs = store.runs();
    const incumbentTest: (number | null)[][] = [];
    const bestTestSeen: (number | null)[][] = [];
    for (const run of runs) {
      let [best, incumbent, bestTest] = [-Infinity, null as string | null, -Infinity];
      const evaluations = store.evaluations(run.id).sort((a, b) => a.ordinal - b.ordinal);
      incumbentTest.push(
        evaluations.map((e) => {
          if (e.value !== null && e.value > best) [best, incumbent] = [e.value, e.arch];
          return incumbent === null ? null : test(incumbent);
        }),
      );
      bestTestSeen.push(evaluations.map((e) => (bestTest = Math.max(bestTest, test(e.arch)))));
      // What the run itself reported is its last incumbent's test accuracy.
      expect(store.getRun(run.id)!.finalValue).toBe(incumbentTest.at(-1)!.at(-1));
    }

    const report = buildReport(store, {}, { curves: true, published: false });
    const [a] = report.anytime!;
    expect(a!.result).toBe('test accuracy after 200 epochs (%)');
    const [incumbent] = a!.incumbent;
    const [regret] = a!.regret;
    expect(incumbent!.points.map((p) => p.x)).toEqual(Array.from({ length: budget }, (_, k) => k + 1));
    incumbent!.points.forEach((p, k) => {
      const expected = meanStd(incumbentTest.map((xs) => xs[k]!));
      expect(p.n).toBe(expected.n);
      expect(p.mean).toBeCloseTo(expected.mean, 9);
      expect(p.std).toBeCloseTo(expected.std, 5);
      expect(regret!.points[k]!.mean).toBeCloseTo(optimum - expected.mean, 9);
      expect(regret!.points[k]!.std).toBeCloseTo(expected.std, 5);
    });
    // Judged by what the search signal picks: somewhere a better test cell had been seen and not picked.
    expect(incumbent!.points.some((p, k) => meanStd(bestTestSeen.map((xs) => xs[k]!)).mean > p.mean + 1e-9)).toBe(true);
    expect(regret!.points.every((p) => p.mean > 0)).toBe(true);

    const charts = reportCharts(report);
    // Table lookups use no device: no device-hours chart.
    expect(charts.map((c) => c.id)).toEqual(['anytime-evaluations-nb201-cifar10', 'incumbent-nb201-cifar10', 'regret-nb201-cifar10', 'final-nb201-cifar10']);
    const regretChart = charts.find((c) => c.id === 'regret-nb201-cifar10')!;
    expect(scalesOf(regretChart).y!.type).toBe('logarithmic');
    // Axes fit the curves: every mean inside, with at most the curves' own span of slack around them.
    for (const [id, curve] of [['incumbent-nb201-cifar10', incumbent!], ['anytime-evaluations-nb201-cifar10', a!.byEvaluations[0]!]] as const) {
      const y = scalesOf(charts.find((c) => c.id === id)!).y!;
      const means = curve.points.map((p) => p.mean);
      const [lo, hi] = [Math.min(...means), Math.max(...means)];
      expect(y.min).toBeLessThanOrEqual(lo);
      expect(y.max).toBeGreaterThanOrEqual(hi);
      expect(y.max! - y.min!).toBeLessThanOrEqual(2 * (hi - lo) + 1);
    }
    // n in every legend.
    for (const c of charts.filter((c) => c.id !== 'final-nb201-cifar10')) {
      expect(datasetsOf(c).filter((d) => !d.band && d.label.startsWith('random')).every((d) => d.label.includes('(n = 3)'))).toBe(true);
    }
  });

  it('colours every method by its name, the same in every chart and report, whatever else is shown', () => {
    const colours = (methods: readonly string[]) => {
      ({ store } = tempStore());
      for (const [i, method] of methods.entries()) insertExperiment(store, { task: 'nb201-cifar10', method, runs: [runOf(values(20 + i, 10), () => 1), runOf(values(30 + i, 10), () => 1)] });
      const charts = reportCharts(buildReport(store, {}, { curves: true, published: false }));
      const lines = Object.fromEntries(datasetsOf(charts.find((c) => c.id === 'anytime-evaluations-nb201-cifar10')!).filter((d) => !d.band).map((d) => [d.label.split(' ')[0], d.borderColor]));
      const final = charts.find((c) => c.id === 'final-nb201-cifar10')!;
      const order = (final.hints.xLabels ?? []).map((l) => l.split(' ')[0]);
      const boxes = datasetsOf(final).find((d) => d.label === 'interquartile range')!.borderColor as unknown as string[];
      return { lines, boxes: Object.fromEntries(order.map((m, i) => [m, boxes[i]])) };
    };
    const both = colours(['random', 'evolution']);
    const alone = colours(['evolution']);
    expect(both.lines).toEqual({ random: OKABE_ITO.black, evolution: OKABE_ITO.blue });
    expect(both.boxes).toEqual(both.lines);
    expect(alone.lines.evolution).toBe(both.lines.evolution);
    expect(alone.boxes.evolution).toBe(both.lines.evolution);
    // A plugin the palette does not list still gets one fixed Okabe–Ito colour.
    expect(Object.values(OKABE_ITO)).toContain(methodColor('my-plugin'));
    expect(methodColor('my-plugin')).toBe(methodColor('my-plugin'));
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
    const series = report.predictions[0]!.series[0]!;
    expect(series.tau).toBe(kendallTau([0.9, 0.7, 0.6], [0.8, 0.75, 0.65]));
    const chart = reportCharts(report).find((c) => c.id === 'predictions-nb201-cifar10')!;
    // τ in the legend (and the title, with one group), n too, and y = x drawn over the points.
    expect(chart.title).toContain(`τ = ${series.tau!.toFixed(2)}`);
    const [diagonal, points] = datasetsOf(chart);
    expect(points!.label).toBe(`nao (n = 1): τ = ${series.tau!.toFixed(2)} over 3 pairs`);
    expect(diagonal!.label).toBe('predicted = true');
    expect(diagonal!.order).toBeLessThan(points!.order!);
    const { x, y } = scalesOf(chart);
    expect([x!.min, x!.max]).toEqual([y!.min, y!.max]);

    // A second setting of the method: the same colour, another point shape.
    const [other] = insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', params: { config: 'paper' }, runs: [runOf(values(5, 10), () => 1)] });
    store.recordDiagnostic(other!, 10, DiagnosticKind.predictorIteration, { pairs: [[0.5, 0.6], [0.4, 0.3]] });
    const two = datasetsOf(reportCharts(buildReport(store, {}, { curves: false, published: false })).find((c) => c.id === 'predictions-nb201-cifar10')!).slice(1) as (Dataset & { pointStyle?: string })[];
    expect(two.map((d) => d.pointStyle)).toEqual(['circle', 'triangle']);
    expect(two[0]!.backgroundColor).toBe(two[1]!.backgroundColor);
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
