/**
 * Harness throughput: the store's insert path, and end-to-end tabular search (propose, look up,
 * persist every evaluation, snapshot after every propose) in evaluations per second.
 * Usage: node dist/benchmarks/harness.js [--data-dir DIR]   (or NASBENCH_DATA_DIR)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Bench } from 'tinybench';
import { runExperiment } from '../src/harness/experiment.js';
import { Store } from '../src/store/store.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { machine, markdownTable, writeResults } from './results.js';
import { derivedTaskRecord } from '../src/tasks/record.js';

const TARGET = 10_000;
const SEEDS = 10;
const BUDGET = 1_000;

const flag = process.argv.indexOf('--data-dir');
const dataDir = resolveDataDir(flag >= 0 ? process.argv[flag + 1] : undefined);
if (!getTask('nb201-cifar10').dataStatus(dataDir).present) {
  console.error(`the NAS-Bench-201 tables are not in ${dataDir.path}: pass --data-dir or set NASBENCH_DATA_DIR`);
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'nasbench-bench-'));
let dbCount = 0;
const freshStore = () => Store.open(join(work, `b${dbCount++}.db`));

const insertStore = freshStore();
const { runIds } = insertStore.createExperiment({
  method: 'bench', methodSource: 'builtin:bench', task: 'nb201-cifar10', budget: 1e9, params: {}, config: {}, taskRecord: derivedTaskRecord({ task: 'nb201-cifar10', config: {}, finalMetricKeys: new Set() }), codeVersion: 'bench', seeds: [0],
});
let ordinal = 0;
const now = new Date().toISOString();

const bench = new Bench({ time: 3_000, warmupTime: 500 });
bench.add('store: insert one evaluation (own transaction, WAL)', () => {
  insertStore.insertEvaluation({
    runId: runIds[0]!, ordinal: ordinal++, arch: '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    archHash: '0123456789abcdef', status: 'ok', value: 90.1, metrics: { valid_acc: 90.1 }, params: null, fidelity: 12,
    deviceSeconds: 1e-6, deviceKind: 'none', backend: 'table', threads: 1, error: null, startedAt: now, finishedAt: now,
  });
});
for (const method of ['random', 'evolution']) {
  bench.add(`end to end: ${method}, ${SEEDS} seeds × ${BUDGET} evaluations, persisted`, async () => {
    const store = freshStore();
    await runExperiment(store, { method, task: 'nb201-cifar10', seeds: Array.from({ length: SEEDS }, (_, i) => i), budget: BUDGET, params: [], dataDir });
    store.close();
  }, { beforeAll: async () => void (await getTask('nb201-cifar10').open(dataDir, { fetch: false, backend: 'auto' })) });
}

await bench.run();
insertStore.close();
rmSync(work, { recursive: true, force: true });

const rows = bench.tasks.map((task) => {
  const r = task.result;
  if (r.state !== 'completed') throw new Error(`${task.name}: ${r.state}`);
  const perCall = task.name.startsWith('end to end') ? SEEDS * BUDGET : 1;
  return { name: task.name, evaluationsPerSecond: Math.round(r.throughput.mean * perCall), meanMs: r.latency.mean, rmePercent: r.latency.rme, samples: r.latency.samplesCount };
});
const endToEnd = rows.filter((r) => r.name.startsWith('end to end'));
const slowest = Math.min(...endToEnd.map((r) => r.evaluationsPerSecond));
writeResults(
  'harness-bench',
  { machine: machine(), target: TARGET, meetsTarget: slowest >= TARGET, results: rows },
  `# Harness throughput\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    markdownTable(['Benchmark', 'Evaluations/s', 'Mean per call', '± (rme)', 'Samples'], rows.map((r) => [r.name, r.evaluationsPerSecond.toLocaleString('en-US'), `${r.meanMs.toFixed(3)} ms`, `${r.rmePercent.toFixed(1)} %`, r.samples])) +
    `\n\nTarget: ≥ ${TARGET.toLocaleString('en-US')} evaluations/s end to end; slowest method: ${slowest.toLocaleString('en-US')} (${slowest >= TARGET ? 'met' : 'NOT met'}).\n` +
    'Reproduce: `npm run build && node dist/benchmarks/harness.js --data-dir <dir with nas-bench-201/>`.\n',
);
console.log(`results/harness-bench.md: slowest end-to-end ${slowest} evaluations/s (target ${TARGET})`);
