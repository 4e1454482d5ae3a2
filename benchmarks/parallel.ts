/**
 * Parallel and distributed evaluation, measured in one run so that the ratios compare like with
 * like: trained children per hour (ptb and fashion-mnist, `tiny` children) for the sequential
 * default (--workers 1), 2 local worker processes and 2 BullMQ workers on this machine; and the
 * queue's overhead per evaluation on a tabular task (Redis round trip vs an in-process lookup)
 * with 1, 2 and 4 queue workers. Starts its own redis-server on a free loopback port.
 * The wall time runs from the first run's start (the task open) to the last search evaluation's commit.
 * Usage: npm run build && node dist/benchmarks/parallel.js [--data-dir DIR] [--only tabular|trained] [--children N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runExperiment, type ExperimentRequest } from '../src/harness/experiment.js';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';
import { Store } from '../src/store/store.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { HAVE_REDIS, REDIS_SERVER, startRedis } from '../support/redis.js';
import { machine, markdownTable, writeResults } from './results.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataDir = resolveDataDir(arg('--data-dir'));
const only = arg('--only');
const CHILDREN = Number(arg('--children') ?? 8);
const TABULAR = { seeds: 4, budget: 250 };

if (!HAVE_REDIS) {
  console.error(`${REDIS_SERVER} is missing (Debian: apt-get install redis-server)`);
  process.exit(2);
}
const loadAtStart = loadavg()[0]!;
const redis = await startRedis();
const work = mkdtempSync(join(tmpdir(), 'nasbench-parallel-'));
let dbs = 0;

function startWorkers(n: number, threads?: number): ChildProcess[] {
  const args = ['worker', '--queue', redis.url, '--data-dir', dataDir.path, ...(threads ? ['--threads', String(threads)] : [])];
  return Array.from({ length: n }, () => spawn(process.execPath, [join(PACKAGE_ROOT, 'bin', 'run.js'), ...args], { stdio: 'ignore' }));
}
async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(workers.map((w) => new Promise((resolve) => (w.once('exit', resolve), w.kill('SIGTERM')))));
}

/** Runs an experiment; the wall time of its search evaluations (until the last one is committed) and how many. */
async function measure(req: Omit<ExperimentRequest, 'dataDir' | 'params'>): Promise<{ seconds: number; evaluations: number }> {
  const store = Store.open(join(work, `b${dbs++}.db`));
  // From the first run's start: opening the task (loading tables, checksumming data) is not the evaluations' cost.
  let start: number | null = null;
  let last = 0;
  let evaluations = 0;
  try {
    await runExperiment(store, { ...req, params: [], dataDir }, {
      onRunStart: () => void (start ??= performance.now()),
      onEvaluation: () => ((last = performance.now()), evaluations++),
    });
  } finally {
    store.close();
  }
  return { seconds: (last - (start ?? last)) / 1000, evaluations };
}

const tabularRows: { setup: string; msPerEvaluation: number; evaluations: number }[] = [];
if (only !== 'trained') {
  if (!getTask('nb201-cifar10').dataStatus(dataDir).present) throw new Error(`the NAS-Bench-201 tables are not in ${dataDir.path}`);
  const base = { method: 'random', task: 'nb201-cifar10', seeds: Array.from({ length: TABULAR.seeds }, (_, i) => i), budget: TABULAR.budget };
  const inProcess = await measure({ ...base, workers: 1 });
  tabularRows.push({ setup: 'in-process lookups (--workers 1)', msPerEvaluation: (inProcess.seconds * 1000) / inProcess.evaluations, evaluations: inProcess.evaluations });
  for (const n of [1, 2, 4]) {
    const workers = startWorkers(n);
    const queued = await measure({ ...base, queue: redis.url, workers: 4 * n });
    await stopWorkers(workers);
    tabularRows.push({ setup: `through Redis, ${n} queue worker${n > 1 ? 's' : ''} (${4 * n} jobs in flight)`, msPerEvaluation: (queued.seconds * 1000) / queued.evaluations, evaluations: queued.evaluations });
  }
}

const trainedRows: { task: string; setup: string; childrenPerHour: number; ratio: number; children: number; seconds: number }[] = [];
if (only !== 'tabular') {
  for (const task of ['ptb', 'fashion-mnist']) {
    if (!getTask(task).dataStatus(dataDir).present) {
      console.error(`${task}: data not in ${dataDir.path}, skipped`);
      continue;
    }
    const base = { method: 'random', task, seeds: [0, 1], budget: CHILDREN / 2, options: { preset: 'tiny', fetch: false, backend: 'auto' } };
    const setups: [string, () => Promise<{ seconds: number; evaluations: number }>][] = [
      ['sequential (--workers 1)', () => measure({ ...base, workers: 1 })],
      ['2 local workers (--workers 2)', () => measure({ ...base, workers: 2 })],
      [
        '2 BullMQ workers on this machine',
        async () => {
          const workers = startWorkers(2, 1);
          try {
            return await measure({ ...base, queue: redis.url, workers: 2 });
          } finally {
            await stopWorkers(workers);
          }
        },
      ],
    ];
    let sequential = 0;
    for (const [setup, run] of setups) {
      const m = await run();
      const perHour = (m.evaluations / m.seconds) * 3600;
      if (sequential === 0) sequential = perHour;
      trainedRows.push({ task, setup, childrenPerHour: perHour, ratio: perHour / sequential, children: m.evaluations, seconds: m.seconds });
    }
  }
}

await redis.kill();
rmSync(work, { recursive: true, force: true });

const notMeasured = (what: string) => `\n_${what}: not measured in this run._\n`;
writeResults(
  'parallel',
  { machine: machine(), tabular: tabularRows, trained: trainedRows, childrenPerSetup: CHILDREN, tabularRuns: TABULAR },
  `# Parallel and distributed evaluation\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    `## Trained children per hour (tiny preset, ${CHILDREN} search children per setup: 2 seeds)\n` +
    (trainedRows.length
      ? '\n' + markdownTable(['Task', 'Setup', 'Children/hour', '× sequential', 'Children', 'Seconds'], trainedRows.map((r) => [r.task, r.setup, r.childrenPerHour.toFixed(1), r.ratio.toFixed(2), r.children, r.seconds.toFixed(0)])) + '\n'
      : notMeasured('Trained children')) +
    `\n## Queue overhead on a tabular task (nb201-cifar10, random, ${TABULAR.seeds} seeds × ${TABULAR.budget} evaluations)\n` +
    (tabularRows.length
      ? '\n' + markdownTable(['Setup', 'ms per evaluation', 'Evaluations'], tabularRows.map((r) => [r.setup, r.msPerEvaluation.toFixed(3), r.evaluations])) + '\n'
      : notMeasured('Queue overhead')) +
    `\nWall time from the start of the first run (the task already open) to the commit of the last search evaluation (final trainings excluded), on this machine with a 1-minute load average of ${loadAtStart.toFixed(1)} when the measurements started. ` +
    'Reproduce: `npm run build && node dist/benchmarks/parallel.js --data-dir <data dir>` (`--only tabular` for the cheap part).\n',
);
console.log('results/parallel.md written');
