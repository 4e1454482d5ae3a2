import { createHash } from 'node:crypto';
import { mean } from 'simple-statistics';
import { afterEach, describe, expect, it } from 'vitest';
import { buildReport, reportTables } from '../../src/report/build.js';
import { leaderboard } from '../../src/report/leaderboard.js';
import { leaderboardTableData, workersTableData } from '../../src/report/tables.js';
import { parseSince } from '../../src/report/selection.js';
import type { Store } from '../../src/store/store.js';
import { insertExperiment, tempStore } from './fixtures.js';

let store: Store;
afterEach(() => store?.close());

/** A run of `n` evaluations whose best-so-far is known: values rise to `peak`. */
const run = (final: number, n = 10, extra: Partial<{ kind: string; seconds: number; params: number; metrics: Record<string, number> }> = {}) => ({
  final,
  metrics: extra.metrics,
  finalSeconds: 5,
  finalOrdinal: n - 1,
  evaluations: Array.from({ length: n }, (_, k) => ({ value: 50 + k, seconds: extra.seconds ?? 2, kind: extra.kind ?? 'none', params: extra.params ?? null })),
});

describe('leaderboard', () => {
  it('selects 33,000 run ids (more than SQLite binds in one statement) in every query of a report', () => {
    ({ store } = tempStore());
    const ids = insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(94), run(93, 10, { kind: 'gpu' })] });
    const mixed = ids[1]!;
    store.commitProgress(mixed, [{ ...store.evaluations(mixed)[0]!, ordinal: 10, deviceKind: 'cpu' }]);
    const runIds = [...ids, ...Array.from({ length: 33_000 }, (_, i) => 1000 + i)];
    const report = buildReport(store, { runIds }, { curves: true, published: false });
    expect(report.leaderboard).toMatchObject([{ method: 'random', runs: 2, completed: 2 }]);
    expect(report.leaderboard[0]!.searchSeconds).toEqual({ none: 20, gpu: 20, cpu: 2 });
    expect(store.runs({ runIds }).map((r) => r.id)).toEqual(ids);
  });

  it('lists the workers of each group, whose device time adds up to the group’s, and the runs’ wall-clock time', () => {
    ({ store } = tempStore());
    const on = (host: string, kind: string) => ({ value: 50, seconds: 3600, kind, host });
    const ids = insertExperiment(store, {
      task: 'ptb',
      method: 'random',
      runs: [
        { final: 80, finalSeconds: 1800, evaluations: [on('a', 'cpu'), on('b', 'gpu'), on('a', 'cpu')] },
        { final: 81, finalSeconds: 1800, evaluations: [on('b', 'gpu'), on('b', 'gpu')] },
      ],
    });
    store.commitProgress(ids[0]!, [], undefined, [{ evaluationsSeen: 1, deviceKind: 'cpu', seconds: 7200, trainSteps: 1, scoreBatches: 0 }], 5400);
    store.commitProgress(ids[1]!, [], undefined, [], 1800);
    const [row] = leaderboard(store);
    expect(row!.workers).toEqual([
      { host: 'a', backend: 'test', deviceKind: 'cpu', evaluations: 2, deviceSeconds: 7200 },
      { host: 'b', backend: 'test', deviceKind: 'gpu', evaluations: 3, deviceSeconds: 3 * 3600 },
      { host: 'test-host', backend: 'test', deviceKind: 'cpu', evaluations: 2, deviceSeconds: 3600 },
    ]);
    expect(row!.wallSeconds).toBe(7200);
    const workerSeconds = row!.workers.reduce((s, w) => s + w.deviceSeconds, 0) + Object.values(row!.supernetSeconds).reduce((a, b) => a + b, 0);
    expect(workerSeconds).toBe(row!.deviceSeconds);

    const table = reportTables(buildReport(store, {}, { curves: false, published: false })).find((t) => t.id === 'workers')!;
    expect(table).toEqual(workersTableData([row!]));
    expect(table.rows.map((r) => r.slice(2))).toEqual([
      ['a', 'test', 'cpu', '2', '2.00 CPU-hours', ''],
      ['b', 'test', 'gpu', '3', '3.00 GPU-hours', ''],
      ['test-host', 'test', 'cpu', '2', '1.00 CPU-hours', ''],
      ['supernet (in the runs’ own processes)', '–', 'cpu', '–', '2.00 CPU-hours', ''],
      ['all (3 workers)', '', '', '7', '5.00 CPU-hours + 3.00 GPU-hours', '2.00 h'],
    ]);
  });

  it('summarises each method on each task from the stored runs', () => {
    ({ store } = tempStore());
    const good = [94.1, 94.3, 93.9, 94.4, 94.2, 94.0, 94.3, 94.1];
    const weak = [93.0, 93.2, 92.9, 93.1, 93.3, 92.8, 93.0, 93.1];
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', budget: 10, runs: good.map((f) => run(f)) });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', budget: 10, runs: weak.map((f) => run(f)) });
    const rows = leaderboard(store);
    expect(rows.map((r) => r.method)).toEqual(['evolution', 'random']);
    const [top, second] = rows as [(typeof rows)[0], (typeof rows)[0]];
    expect(top.final!.mean).toBeCloseTo(mean(good), 12);
    expect(top.best).toBe(Math.max(...good));
    expect(top).toMatchObject({ runs: 8, completed: 8, evaluationsUsed: 80, evaluationsPerRun: 10, kind: 'tabular', pVsTop: null });
    expect(top.searchSeconds).toEqual({ none: 8 * 10 * 2 });
    expect(top.finalSeconds).toBe(8 * 5);
    expect(top.deviceSeconds).toBe(8 * 10 * 2 + 8 * 5);
    expect(second.pVsTop).toBeLessThan(0.05);

    const report = buildReport(store, {}, { curves: false, published: false });
    expect(report.comparisons).toHaveLength(1);
    expect(report.comparisons[0]).toMatchObject({ a: 'evolution', b: 'random', better: 'evolution' });
    expect(report.comparisons[0]!.pValue).toBeLessThan(0.05);
  });

  it('claims no winner when the results do not differ significantly', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'a', runs: [93, 94, 95, 93.5].map((f) => run(f)) });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'b', runs: [93.2, 94.1, 94.8, 93.6].map((f) => run(f)) });
    const [c] = buildReport(store, {}, { curves: false, published: false }).comparisons;
    expect(c!.pValue).toBeGreaterThanOrEqual(0.05);
    expect(c!.better).toBeNull();
    const text = reportTables(buildReport(store, {}, { curves: false, published: false })).find((t) => t.id === 'comparisons')!;
    expect(text.rows[0]!.at(-1)).toMatch(/^no significant difference/);
  });

  it("labels a row by what its plugin says ran (enas without a supernet is REINFORCE), naming the method too", () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'enas', config: { label: 'REINFORCE (ENAS LSTM controller)' }, runs: [run(94)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', config: {}, runs: [run(93)] });
    const rows = leaderboard(store);
    expect(rows.map((r) => [r.method, r.name, r.label])).toEqual([
      ['enas', 'REINFORCE (ENAS LSTM controller) [enas]', 'REINFORCE (ENAS LSTM controller) [enas]'],
      ['random', 'random', 'random'],
    ]);
    insertExperiment(store, { task: 'nb201-cifar10', method: 'enas', params: { lr: 0.01 }, config: { label: 'REINFORCE (ENAS LSTM controller)' }, runs: [run(92)] });
    expect(leaderboard(store).map((r) => r.label)).toContain('REINFORCE (ENAS LSTM controller) [enas] (lr=0.01)');
  });

  it('tests no group of fewer than 3 seeds, and names every chart series with its number of seeds', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', runs: [94.1, 94.3, 93.9, 94.4].map((f) => run(f)) });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [93.0, 93.2].map((f) => run(f)) });
    const report = buildReport(store, {}, { curves: true, published: false });
    expect(report.leaderboard.map((r) => [r.method, r.pVsTop])).toEqual([['evolution', null], ['random', null]]);
    expect(report.comparisons).toEqual([]);
    expect(report.anytime![0]!.byEvaluations.map((c) => c.label)).toEqual(['evolution (n = 4)', 'random (n = 2)']);
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [93.1].map((f) => run(f)), seeds: [2] });
    expect(leaderboard(store).find((r) => r.method === 'random')!.pVsTop).toEqual(expect.any(Number));
  });

  it('keeps different settings of a method apart and labels them by what sets them apart', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', params: { population: 10, sample_size: 3 }, runs: [run(94)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', params: { population: 20, sample_size: 3 }, runs: [run(93)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', params: { population: 20, sample_size: 3 }, runs: [run(92)], seeds: [1] });
    const rows = leaderboard(store);
    // The shared sample_size and budget are in each row's command, not in its label.
    expect(rows.map((r) => [r.label, r.runs])).toEqual([
      ['evolution (population=10)', 1],
      ['evolution (population=20)', 2],
    ]);
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', budget: 20, params: { population: 20, sample_size: 5 }, runs: [run(91)] });
    expect(leaderboard(store).map((r) => r.label)).toEqual([
      'evolution (population=10 sample_size=3 budget=10)',
      'evolution (population=20 sample_size=3 budget=10)',
      'evolution (population=20 sample_size=5 budget=20)',
    ]);
  });

  it('charts call a row by its name where the name alone tells it apart, else by its full label', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', params: { config: 'scaled', epochs: 15 }, config: { label: 'NAO (scaled EPD)' }, runs: [run(94), run(93.9)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', params: { config: 'paper', epochs: 1000 }, config: { label: 'NAO (paper EPD)' }, runs: [run(93.8), run(93.7)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', params: { population: 10 }, runs: [run(93.6)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', params: { population: 20 }, runs: [run(93.5)] });
    const rows = leaderboard(store);
    expect(rows.map((r) => [r.label, r.shortLabel])).toEqual([
      ['NAO (scaled EPD) [nao] (config=scaled epochs=15)', 'NAO (scaled EPD) [nao]'],
      ['NAO (paper EPD) [nao] (config=paper epochs=1000)', 'NAO (paper EPD) [nao]'],
      ['evolution (population=10)', 'evolution (population=10)'],
      ['evolution (population=20)', 'evolution (population=20)'],
    ]);
    const report = buildReport(store, {}, { curves: true, published: false });
    expect(report.anytime![0]!.byEvaluations.map((c) => c.label)).toEqual(['NAO (scaled EPD) [nao] (n = 2)', 'NAO (paper EPD) [nao] (n = 2)', 'evolution (population=10) (n = 1)', 'evolution (population=20) (n = 1)']);
  });

  it('narrows to a task, a method, run ids and experiments created since a time', () => {
    ({ store } = tempStore());
    const [r1, r2] = insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(93), run(94)] });
    insertExperiment(store, { task: 'nb201-cifar100', method: 'random', runs: [run(70)] });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', runs: [run(95)] });
    expect(leaderboard(store, { task: 'nb201-cifar100' }).map((r) => r.final!.mean)).toEqual([70]);
    expect(leaderboard(store, { method: 'evolution' }).map((r) => r.task)).toEqual(['nb201-cifar10']);
    expect(leaderboard(store, { runIds: [r2!] }).map((r) => [r.method, r.final!.mean])).toEqual([['random', 94]]);
    expect(leaderboard(store, { runIds: [r1!, r2!] })[0]!.runs).toBe(2);
    expect(leaderboard(store, { since: parseSince('2000-01-01') })).toHaveLength(3);
    expect(leaderboard(store, { since: parseSince('2999-01-01') })).toHaveLength(0);
    expect(() => parseSince('yesterday')).toThrow(/--since yesterday: expected an ISO date/);
  });
});

describe('repeated seeds, and runs of different code or data', () => {
  it('counts each seed once, with its latest completed run, and names the runs left out', () => {
    ({ store } = tempStore());
    const first = insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(90), run(91), run(92)] });
    const again = insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(93), run(94), { final: null, evaluations: [{ value: 1 }] }] });
    const [row] = leaderboard(store);
    expect(row).toMatchObject({ runs: 3, completed: 3, evaluationsUsed: 3 * 10 });
    // Seeds 0 and 1 from the second experiment; seed 2 only completed in the first.
    expect(row!.final!.mean).toBeCloseTo((93 + 94 + 92) / 3, 12);
    expect(row!.leftOut).toEqual([
      { runId: first[0], seed: 0, reason: 'repeated' },
      { runId: first[1], seed: 1, reason: 'repeated' },
      { runId: again[2], seed: 2, reason: 'not completed' },
    ]);
    const table = leaderboardTableData([row!]);
    expect(table.head[2]).toBe('Distinct seeds');
    expect(table.notes).toContain(`random on nb201-cifar10: each seed counted once, with its latest completed run; left out runs ${first[0]}, ${first[1]} (seeds 0, 1 again) and ${again[2]} (seed 2, not completed)`);
  });

  it('keeps runs of different plugin code or different data files apart, and labels them', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', runs: [run(93)], pluginHash: 'aaaaaaaa11', dataChecksums: { 'nas-bench-201/nats_bench.csv': 'd1d1d1d1ff' } });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', runs: [run(94)], pluginHash: 'bbbbbbbb22', dataChecksums: { 'nas-bench-201/nats_bench.csv': 'd1d1d1d1ff' } });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'nao', runs: [run(95)], pluginHash: 'bbbbbbbb22', dataChecksums: { 'nas-bench-201/nats_bench.csv': 'e2e2e2e2ff' } });
    // The data files are labelled by a digest of their names and checksums.
    const data = (sum: string) => createHash('sha256').update(`nas-bench-201/nats_bench.csv=${sum}\n`).digest('hex').slice(0, 8);
    const rows = leaderboard(store);
    expect(rows.map((r) => [r.label, r.runs, r.final!.mean])).toEqual([
      [`nao (code=bbbbbbbb data=${data('e2e2e2e2ff')})`, 1, 95],
      [`nao (code=bbbbbbbb data=${data('d1d1d1d1ff')})`, 1, 94],
      [`nao (code=aaaaaaaa data=${data('d1d1d1d1ff')})`, 1, 93],
    ]);
    expect(rows[0]).toMatchObject({ pluginHash: 'bbbbbbbb22', dataChecksums: { 'nas-bench-201/nats_bench.csv': 'e2e2e2e2ff' } });
  });
});

describe('paper-shaped tables', () => {
  it('image tasks: B, N and F from the preset, error, size, architectures evaluated and GPU-days', () => {
    ({ store } = tempStore());
    const accs = [97.0, 96.8, 97.2];
    insertExperiment(store, {
      task: 'cifar10-micro',
      method: 'nao',
      config: { preset: { N: 6, F: 36 } },
      runs: accs.map((a) => run(a, 4, { kind: 'gpu', seconds: 21600, params: 3_300_000, metrics: { test_acc: a } })),
    });
    const report = buildReport(store, {}, { curves: false, published: false });
    const table = reportTables(report).find((t) => t.id === 'paper-cifar10-micro')!;
    expect(table.head).toEqual(['Method', 'B', 'N', 'F', '#op', 'Error (%)', '#params', 'M', 'Device-days']);
    const errors = accs.map((a) => 100 - a);
    const [row] = table.rows;
    expect(row!.slice(0, 5)).toEqual(['nao', '5', '6', '36', '5']);
    expect(row![5]).toBe(`${mean(errors).toFixed(2)} ± ${report.leaderboard[0]!.final!.std.toFixed(2)}`);
    expect(row![6]).toBe('3.30M');
    expect(row![7]).toBe('4');
    // 4 evaluations × 6 h = one GPU-day per search.
    expect(row![8]).toBe('1.00 GPU-days');
  });

  it('image tasks: reads the final network’s shape as the engine’s tasks store it, and a test error as is', () => {
    ({ store } = tempStore());
    insertExperiment(store, {
      task: 'cifar10-engine',
      method: 'random',
      config: { task: { preset: 'paper', search: { B: 5, N: 3, F: 20, ops: 5 }, final: { B: 5, N: 6, F: 36, ops: 5 } } },
      runs: [2.9, 3.1].map((e) => run(e, 3, { kind: 'cpu', seconds: 3600, metrics: { test_error: e, params: 2_500_000 } })),
    });
    const report = buildReport(store, {}, { curves: false, published: false });
    expect(report.leaderboard[0]).toMatchObject({ kind: 'image', goal: 'min', best: 2.9, child: { B: 5, N: 6, F: 36, ops: 5 } });
    const [row] = reportTables(report).find((t) => t.id === 'paper-cifar10-engine')!.rows;
    expect(row).toEqual(['random', '5', '6', '36', '5', `3.00 ± ${report.leaderboard[0]!.final!.std.toFixed(2)}`, '2.50M', '3', '0.13 CPU-days']);
  });

  it('language tasks: size, test perplexity and CPU-days never called GPU-days', () => {
    ({ store } = tempStore());
    const ppl = [60.1, 61.5];
    insertExperiment(store, {
      task: 'ptb-rnn',
      method: 'random',
      runs: ppl.map((p) => run(p, 2, { kind: 'cpu', seconds: 43200, params: 24_000_000, metrics: { test_ppl: p, params: 24_000_000 } })),
    });
    const report = buildReport(store, {}, { curves: false, published: true });
    expect(report.leaderboard[0]).toMatchObject({ kind: 'text', goal: 'min', best: 60.1 });
    const table = reportTables(report).find((t) => t.id === 'paper-ptb-rnn')!;
    expect(table.head).toEqual(['Method', '#params', 'Test perplexity', 'Device-days']);
    expect(table.rows[0]).toEqual(['random', '24.00M', `${mean(ppl).toFixed(2)} ± ${report.leaderboard[0]!.final!.std.toFixed(2)}`, '1.00 CPU-days']);
    // ptb-rnn is no task anybody published on: no published row is comparable with it.
    expect(reportTables(report).find((t) => t.id === 'published')!.rows).toEqual([]);
  });

  it('--published shows only the rows comparable with the report\'s tasks, each with its protocol', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(93.5), run(93.9)] });
    const published = reportTables(buildReport(store, {}, { curves: false, published: true })).find((t) => t.id === 'published')!;
    expect(published.rows.map((r) => [r[0], r[1], r[3]])).toEqual([
      ['NAS-Bench-201 CIFAR-10', 'REA (published, not measured)', '93.92 %'],
      ['NAS-Bench-201 CIFAR-10', 'REINFORCE (published, not measured)', '93.85 %'],
      ['NAS-Bench-201 CIFAR-10', 'RS (published, not measured)', '93.70 %'],
      ['NAS-Bench-201 CIFAR-10', 'NASWOT (N = 10) (published, not measured)', '92.44 %'],
      ['NAS-Bench-201 CIFAR-10', 'NASWOT (N = 100) (published, not measured)', '92.81 %'],
      ['NAS-Bench-201 CIFAR-10', 'NASWOT (N = 1000) (published, not measured)', '92.96 %'],
      ['NAS-Bench-201 CIFAR-10', 'AREA (published, not measured)', '91.20 %'],
    ]);
    // No NAO CIFAR-10 or PTB numbers on a NAS-Bench-201 report; every row states its protocol.
    expect(published.rows.every((r) => r[4]!.includes('runs'))).toBe(true);
    expect(published.rows.filter((r) => r[1]!.startsWith('AREA')).map((r) => r[2])).toEqual(['validation accuracy']);
    expect(published.rows[1]![4]).toMatch(/compare `enas` with .*12,000 s of simulated training/);
    expect(published.notes).toEqual([expect.stringMatching(/^\[1\] X\. Dong, Y\. Yang\. NAS-Bench-201/), expect.stringMatching(/^\[2\] .*Neural Architecture Search without Training/)]);
    // Each protocol names the repository file it was checked in, and each value says whether it was checked.
    expect(published.head.at(-1)).toBe('Checked');
    expect(published.rows.slice(0, 3).every((r) => r[4]!.includes('D-X-Y/AutoDL-Projects scripts-search/NAS-Bench-201-algos'))).toBe(true);
    expect(published.rows.slice(3, 6).every((r) => r[4]!.includes('BayesWatch/nas-without-training search.py'))).toBe(true);
    // NAS-Bench-201's rows were checked only through NASWOT's copy of its table, and say so.
    expect(published.rows.slice(0, 3).every((r) => r.at(-1)!.startsWith('checked second-hand'))).toBe(true);
    expect(published.rows.slice(3).every((r) => r.at(-1)!.startsWith('checked against a text of the ICML 2021 paper'))).toBe(true);

    ({ store } = tempStore());
    insertExperiment(store, { task: 'ptb', method: 'random', runs: [run(60), run(61)] });
    const ptb = reportTables(buildReport(store, {}, { curves: false, published: true })).find((t) => t.id === 'published')!;
    expect(ptb.rows.map((r) => [r[1], r[3]])).toEqual([
      ['NAONet (published, not measured)', '56.0'],
      ['NAONet-WS (published, not measured)', '56.6'],
    ]);
    expect(ptb.notes).toEqual([expect.stringMatching(/Neural Architecture Optimization/)]);
  });

  it('never pools runs of one method trained under different presets (each preset has its own final training)', () => {
    ({ store } = tempStore());
    for (const [preset, p] of [['smoke', 1200], ['tiny', 180]] as const) {
      insertExperiment(store, { task: 'ptb', method: 'random', config: { task: { preset } }, runs: [run(p, 2, { metrics: { test_ppl: p } })] });
    }
    const rows = buildReport(store, {}, { curves: false, published: false }).leaderboard;
    expect(rows.map((r) => [r.preset, r.final?.mean])).toEqual([
      ['tiny', 180],
      ['smoke', 1200],
    ]);
  });

  it('NAS-Bench-201: test accuracy mean ± std, best, architectures evaluated and seeds', () => {
    ({ store } = tempStore());
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(93), run(94), run(95)] });
    const table = reportTables(buildReport(store, {}, { curves: false, published: false })).find((t) => t.id === 'paper-nb201-cifar10')!;
    expect(table.head).toEqual(['Method', 'Test accuracy after 200 epochs (%) mean ± std', 'Best', 'M', 'Distinct seeds']);
    expect(table.rows).toEqual([['random', '94.00 ± 1.00', '95.00', '10', '3']]);
  });
});
