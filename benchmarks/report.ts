/**
 * Report generation over a store of 1,000,000 evaluations: in-process (query, statistics,
 * rendering) and end to end through the CLI, for the table and JSON formats.
 * Usage: node dist/benchmarks/report.js
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildReport, reportTables } from '../src/report/build.js';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';
import { Store } from '../src/store/store.js';
import { machine, markdownTable, writeResults } from './results.js';
import { derivedTaskRecord } from '../src/tasks/record.js';

const TARGET_MS = 2_000;
const METHODS = ['random', 'evolution', 'method-c', 'method-d'];
const TASKS = ['nb201-cifar10', 'nb201-cifar100'];
const SEEDS = 834;
const BUDGET = 150;
const REPEATS = 5;

const work = mkdtempSync(join(tmpdir(), 'nasbench-report-bench-'));
const path = join(work, 'million.db');

/** Experiments through the store's API, then every evaluation in one transaction of batched inserts. */
function createStore(): number {
  const store = Store.open(path);
  const runs: { id: number; offset: number }[] = [];
  TASKS.forEach((task, t) =>
    METHODS.forEach((method, m) => {
      const { runIds } = store.createExperiment({
        method, methodSource: 'builtin', task, budget: BUDGET, params: {}, config: { seeds: SEEDS }, taskRecord: derivedTaskRecord({ task, config: {}, finalMetricKeys: new Set() }), codeVersion: 'bench',
        seeds: Array.from({ length: SEEDS }, (_, i) => i),
      });
      for (const id of runIds) runs.push({ id, offset: m - 10 * t });
    }),
  );
  store.close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const ROWS = 50;
  const row = '(?, ?, ?, ?, \'ok\', ?, ?, NULL, 12, ?, \'none\', \'table\', 1, NULL, ?, ?)';
  const insert = db.prepare(
    `INSERT INTO evaluations (run_id, ordinal, arch, arch_hash, status, value, metrics, params, fidelity, device_seconds,
       device_kind, backend, threads, error, started_at, finished_at) VALUES ${Array(ROWS).fill(row).join(',')}`,
  );
  const complete = db.prepare(
    `UPDATE runs SET status = 'completed', final_arch = ?, final_hash = ?, final_ordinal = ?, final_value = ?, final_metrics = ?,
       final_device_seconds = ?, finished_at = ? WHERE id = ?`,
  );
  let state = 1;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const now = new Date().toISOString();
  let total = 0;
  db.transaction(() => {
    for (const run of runs) {
      let best = -Infinity;
      let bestAt = 0;
      for (let first = 0; first < BUDGET; first += ROWS) {
        const args: unknown[] = [];
        for (let ordinal = first; ordinal < first + ROWS; ordinal++) {
          const value = 80 + run.offset + 10 * random();
          if (value > best) (best = value), (bestAt = ordinal);
          args.push(run.id, ordinal, `arch-${ordinal}`, `hash-${ordinal}`, value, `{"valid_acc":${value}}`, 1e-5 * (1 + random()), now, now);
        }
        insert.run(...args);
        total += ROWS;
      }
      complete.run(`arch-${bestAt}`, `hash-${bestAt}`, bestAt, best + 5, JSON.stringify({ test_acc: best + 5 }), 1e-5, now, run.id);
    }
  })();
  db.close();
  return total;
}

interface Timing {
  readonly wall: number[];
  /** CPU time of this process: what the report costs, whatever else the machine is doing. */
  readonly cpu: number[];
}

function timeInProcess(format: 'table' | 'json'): Timing {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const store = Store.open(path);
    const start = performance.now();
    const used = process.cpuUsage();
    const report = buildReport(store, {}, { curves: format === 'json', published: false });
    const text = format === 'json' ? JSON.stringify(report) : reportTables(report).map((t) => t.rows.join('\n')).join('\n');
    if (text.length === 0) throw new Error('empty report');
    const { user, system } = process.cpuUsage(used);
    wall.push(performance.now() - start);
    cpu.push((user + system) / 1000);
    store.close();
  }
  return { wall, cpu };
}

function timeCli(format: 'table' | 'json'): Timing {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'run.js'), 'report', '--db', path, '--format', format], { encoding: 'utf8', maxBuffer: 1 << 30 });
    if (r.status !== 0) throw new Error(`report --format ${format} failed: ${r.stderr}`);
    times.push(performance.now() - start);
  }
  return { wall: times, cpu: [] };
}

const start = performance.now();
const evaluations = createStore();
const createSeconds = (performance.now() - start) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
// The first report opens the fresh file and warms the page cache, as any later report would find it.
timeInProcess('table');
const load = loadavg()[0]!;
const results = (['table', 'json'] as const)
  .flatMap((format) => [
    { what: `report --format ${format}, in process (queries, statistics, rendering)`, format, ...timeInProcess(format) },
    { what: `nasbench report --format ${format}, whole CLI process`, format, ...timeCli(format) },
  ])
  .map((r) => ({
    ...r,
    medianMs: Math.round(median(r.wall)),
    maxMs: Math.round(Math.max(...r.wall)),
    cpuMedianMs: r.cpu.length > 0 ? Math.round(median(r.cpu)) : null,
  }));
rmSync(work, { recursive: true, force: true });

const inProcess = results.filter((r) => r.what.includes('in process'));
const worst = Math.max(...inProcess.map((r) => r.medianMs));
const worstCpu = Math.max(...inProcess.map((r) => r.cpuMedianMs ?? 0));
const runs = METHODS.length * TASKS.length * SEEDS;
writeResults(
  'report-bench',
  {
    machine: machine(), loadAverage: load, evaluations, runs, createSeconds, targetMs: TARGET_MS, meetsTarget: worst < TARGET_MS,
    results: results.map(({ wall, cpu, ...r }) => ({ ...r, wallMs: wall.map(Math.round), cpuMs: cpu.map(Math.round) })),
  },
  `# Report generation over 1,000,000 evaluations\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    `Store: ${evaluations.toLocaleString('en-US')} evaluations in ${runs.toLocaleString('en-US')} runs (${METHODS.length} methods × ${TASKS.length} tasks × ${SEEDS} seeds × ${BUDGET} evaluations), created in ${createSeconds.toFixed(1)} s.\n\n` +
    markdownTable(
      ['Measured', 'Median (wall)', 'Slowest (wall)', 'Median CPU time', 'Repeats'],
      results.map((r) => [r.what, `${r.medianMs} ms`, `${r.maxMs} ms`, r.cpuMedianMs === null ? '–' : `${r.cpuMedianMs} ms`, REPEATS]),
    ) +
    `\n\nThe JSON report includes the best-so-far curves (one walk over every evaluation's index entry); the table report does not need them.\n` +
    `Target: report generation under ${TARGET_MS} ms; slowest in-process median: ${worst} ms wall, ${worstCpu} ms CPU (${worst < TARGET_MS ? 'met' : 'NOT met'}). ` +
    `Load average when measured: ${load.toFixed(1)} on ${machine().cores} cores (wall time grows with it; CPU time does not). ` +
    'The whole CLI process adds Node and oclif start-up.\n' +
    'Reproduce: `npm run build && node dist/benchmarks/report.js`.\n',
);
console.log(`results/report-bench.md: slowest in-process median ${worst} ms wall, ${worstCpu} ms CPU (target ${TARGET_MS} ms)`);
