import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/harness/experiment.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { buildReport, reportTables } from '../../src/report/build.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { seedsFlag } from '../../src/report/provenance.js';
import { Store } from '../../src/store/store.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { insertExperiment, tempStore } from './fixtures.js';

let store: Store;
afterEach(() => store?.close());

const run = (final: number) => ({ final, finalSeconds: 0, finalOrdinal: 1, evaluations: [{ value: 70, kind: 'none' }, { value: 71, kind: 'none' }] });

describe('a report that reproduces itself', () => {
  it('writes seeds as --seeds reads them', () => {
    expect(seedsFlag([0, 1, 2, 3])).toBe('4');
    expect(seedsFlag([5])).toBe('5..5');
    expect(seedsFlag([0])).toBe('0..0');
    expect(seedsFlag([10, 11, 12, 20, 3])).toBe('3,10..12,20');
    expect(seedsFlag([100, 101])).toBe('100..101');
  });

  it('has a header with versions, store, data checksums, device kinds and the repeat policy, and a command per row with every hyper-parameter', () => {
    ({ store } = tempStore());
    const sums = { 'nas-bench-201/nats_bench.csv': 'a'.repeat(64), 'nas-bench-201/nb201_minibench_accs.jsonl': 'b'.repeat(64) };
    insertExperiment(store, { task: 'nb201-cifar10', method: 'evolution', params: { population: 10, sample_size: 3 }, runs: [run(94), run(93), run(93.5)], seeds: [0, 1, 2], dataChecksums: sums, pluginHash: 'c'.repeat(64) });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'enas', params: { lr: 0.0035, mode: 'auto' }, config: { label: 'REINFORCE (ENAS LSTM controller)' }, runs: [run(94)], seeds: [7], dataChecksums: sums, engine: { backend: 'wasm', threads: 1 } });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'enas', params: { lr: 0.0035, mode: 'auto' }, config: { label: 'REINFORCE (ENAS LSTM controller)' }, runs: [run(94.1)], seeds: [9], dataChecksums: sums, engine: { backend: 'wasm', threads: 1 } });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(93)], seeds: [1], engine: { backend: 'wasm', threads: null } });
    insertExperiment(store, { task: 'nb201-cifar10', method: 'random', runs: [run(93.2)], seeds: [2], engine: { backend: 'cpu', threads: null } });
    const report = buildReport(store, {}, { curves: false, published: false, context: { store: 'results/nb201.db', renderedBy: 'nasbench@9.9.9+abc' } });
    const tables = reportTables(report);
    const header = tables[0]!;
    expect(header.id).toBe('provenance');
    const value = (what: string) => header.rows.find((r) => r[0] === what)?.[1];
    expect(value('Generated')).toBe(report.generatedAt);
    expect(value('Rendered by')).toBe('nasbench@9.9.9+abc');
    expect(value('Runs created by')).toBe('test');
    expect(value('Store')).toBe('results/nb201.db');
    expect(value('Device kinds')).toBe('none (table lookups)');
    expect(value('Repeated architectures')).toMatch(/^every proposed architecture is an evaluation charged to the budget, a repeated one included/);
    expect(value('Data: nas-bench-201/nats_bench.csv')).toBe(`sha256 ${'a'.repeat(64)}`);
    expect(value('Data: nas-bench-201/nb201_minibench_accs.jsonl')).toBe(`sha256 ${'b'.repeat(64)}`);

    const reproduce = tables.find((t) => t.id === 'reproduce')!;
    const byRow = Object.fromEntries(reproduce.rows.map((r) => [r[1], r]));
    // Every hyper-parameter, defaults included, although each method has one setting only, and the
    // engine the task was opened with (the method's own models run on it), --threads where it was set.
    expect(byRow.evolution![2]).toBe('nasbench run evolution --task nb201-cifar10 --seeds 3 --budget 2 --param population=10 --param sample_size=3 --backend cpu --db results/nb201.db');
    expect(byRow.evolution!.slice(3)).toEqual(['builtin', 'c'.repeat(12), 'test']);
    expect(byRow['REINFORCE (ENAS LSTM controller) [enas]']![2]).toBe('nasbench run enas --task nb201-cifar10 --seeds 7,9 --budget 2 --param lr=0.0035 --param mode=auto --backend wasm --threads 1 --db results/nb201.db');
    // Runs pooled from experiments on different engines: no single engine to name.
    expect(byRow.random![2]).toBe('nasbench run random --task nb201-cifar10 --seeds 1..2 --budget 2 --db results/nb201.db');

    const md = renderMarkdown(report, tables);
    expect(md).toContain('## Reproducibility');
    expect(md).toContain('nasbench run evolution --task nb201-cifar10 --seeds 3');
    // Runs stored before searcher time was measured say so instead of showing a number.
    expect(tables.find((t) => t.id === 'leaderboard')!.rows.map((r) => r[6])).toEqual(['not measured', 'not measured', 'not measured']);
  });

  it('stores, labels and reproduces a parameter that fixes others (NAO config=paper) as it ran', async () => {
    const dataDir = resolveDataDir(writeNb201Fixture(), {});
    store = Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-provenance-')), 'runs.db'));
    // A seed pool of the whole budget: NAO never trains its EPD here, so the test stays quick.
    const asked = ['config=paper', 'seed_fraction=1'];
    await runExperiment(store, { method: 'nao', task: 'nb201-cifar10', seeds: [1], budget: 3, params: asked, dataDir, options: { backend: 'cpu', threads: 1 } });
    await runExperiment(store, { method: 'nao', task: 'nb201-cifar10', seeds: [1], budget: 3, params: ['seed_fraction=1'], dataDir });
    const [paper, scaled] = store.runs();
    expect(paper!.params).toMatchObject({ config: 'paper', epochs: 1000, hidden: 96, batch_size: 50, random_fill: false });
    expect(scaled!.params).toMatchObject({ config: 'scaled', epochs: 15, hidden: 16, batch_size: 128, random_fill: true });
    const report = buildReport(store, {}, { curves: false, published: false });
    const rows = Object.fromEntries(report.leaderboard.map((r) => [r.params.config, r]));
    // Labelled by the settings the two rows differ in, as they ran (not epochs=15 under config=paper).
    expect(rows.paper!.label.startsWith('NAO (paper EPD: LSTM 96, embedding 32, 1000 epochs/iteration) [nao] (config=paper ')).toBe(true);
    expect(rows.paper!.label).toContain('epochs=1000');
    expect(rows.paper!.label).not.toContain('epochs=15');
    expect(rows.paper!.label).not.toContain('seed_fraction');
    const command = reportTables(report).find((t) => t.id === 'reproduce')!.rows.find((r) => r[1] === rows.paper!.label)![2]!;
    expect(command).toContain('--param config=paper');
    expect(command).toContain('--param epochs=1000');
    expect(command).toMatch(/--backend cpu --threads 1$/);
    // The command's parameters are accepted again and settle to the same values.
    const again = [...command.matchAll(/--param (\S+)/g)].map((m) => m[1]!);
    await runExperiment(store, { method: 'nao', task: 'nb201-cifar10', seeds: [2], budget: 3, params: again, dataDir });
    expect(store.runs()[2]!.params).toEqual(paper!.params);
  });

  it("shows the searcher's own CPU time per run, which the harness measures around its calls", async () => {
    const dataDir = resolveDataDir(writeNb201Fixture(), {});
    store = Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-provenance-')), 'runs.db'));
    const { runs } = await runExperiment(store, { method: 'enas', task: 'nb201-cifar10', seeds: [1, 2], budget: 20, params: ['hidden=8'], dataDir });
    for (const r of runs) {
      const stored = store.getRun(r.runId)!;
      expect(stored.searcherCpuSeconds).toBeGreaterThan(0);
      expect(stored.searcherSeconds).toBeGreaterThan(0);
    }
    const report = buildReport(store, {}, { curves: false, published: false });
    const row = report.leaderboard[0]!;
    expect(row.searcherTimedRuns).toBe(2);
    expect(row.searcherCpuSeconds).toBeCloseTo(runs.reduce((t, r) => t + store.getRun(r.runId)!.searcherCpuSeconds!, 0), 9);
    const cell = reportTables(report).find((t) => t.id === 'leaderboard')!.rows[0]![6];
    expect(cell).toMatch(/^\d+(\.\d+)? (ms|s)$/);
    // The command names the method as `run` takes it (the store holds `builtin:enas`).
    expect(store.getRun(runs[0]!.runId)!.methodSource).toBe('builtin:enas');
    const command = reportTables(report).find((t) => t.id === 'reproduce')!.rows[0]![2]!;
    expect(command).toMatch(/^nasbench run enas --task nb201-cifar10 --seeds 1\.\.2 --budget 20 .*--param hidden=8 /);
  });
});
