/**
 * Parallel and distributed evaluation, measured in one run so that the ratios compare like with
 * like: trained children per hour (ptb and fashion-mnist, `tiny` children) for the sequential
 * default (--workers 1), 2 local worker processes and 2 BullMQ workers on this machine; and the
 * queue's overhead per evaluation on a tabular task (Redis round trip vs an in-process lookup)
 * with 1, 2 and 4 queue workers. Starts its own redis-server on a free loopback port.
 * The wall time runs from the first run's start (the task open) to the last search evaluation's commit;
 * a trained setup's run is stopped there (no final training), and the CPU time its whole process
 * tree spent meanwhile and the load average are recorded beside it (see process-tree-cpu.ts).
 * Usage: npm run build && node dist/benchmarks/parallel.js [--data-dir DIR] [--only tabular|trained] [--children N] [--tasks ptb,fashion-mnist]
 *
 * `--tasks` measures some trained tasks only; the rows of the others (and the tabular table, with
 * `--only trained`) are kept from the previous results/parallel.json, each row with its own date.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runExperiment, type ExperimentRequest } from '../src/harness/experiment.js';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';
import { Store } from '../src/store/store.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { HAVE_REDIS, REDIS_SERVER, startRedis } from '../support/redis.js';
import { machine, markdownTable, readResults, writeResults } from './results.js';
import { sampleTreeCpu, type TreeUsage } from './process-tree-cpu.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataDir = resolveDataDir(arg('--data-dir'));
const only = arg('--only');
const CHILDREN = Number(arg('--children') ?? 4);
const TRAINED_TASKS = (arg('--tasks') ?? 'ptb,fashion-mnist').split(',');
/** The previous results, whose rows a partial run keeps. */
const previous = readResults<{ machine: { date: string }; tabular: TabularRow[]; trained: TrainedRow[] }>('parallel');
const TABULAR = { seeds: 4, budget: 250 };
/** The engine threads the sequential default takes on an idle machine: one per core (src/engine/backend.ts). */
const IDLE_THREADS = Math.min(8, availableParallelism());

if (!HAVE_REDIS) {
  console.error(`${REDIS_SERVER} is missing (Debian: apt-get install redis-server)`);
  process.exit(2);
}
const loadAtStart = loadavg()[0]!;
const AUTOGROUP = (() => {
  try {
    return readFileSync('/proc/sys/kernel/sched_autogroup_enabled', 'utf8').trim() === '1';
  } catch {
    return false;
  }
})();
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

interface Measured {
  readonly seconds: number;
  readonly evaluations: number;
  readonly usage: TreeUsage;
  /** Backend and threads of the evaluations, as stored ("wasm×2"). */
  readonly engines: string;
}

/**
 * Runs an experiment; the wall time of its search evaluations (until the last one is committed),
 * how many, and the CPU time and load meanwhile. With `stopAfter`, the runs are stopped once that
 * many evaluations are committed (those in flight finish, uncounted; no final training).
 */
async function measure(req: Omit<ExperimentRequest, 'dataDir' | 'params'>, stopAfter?: number): Promise<Measured> {
  const store = Store.open(join(work, `b${dbs++}.db`));
  // From the first run's start: opening the task (loading tables, checksumming data) is not the evaluations' cost.
  let start: number | null = null;
  let sampler: ReturnType<typeof sampleTreeCpu> | null = null;
  let usage: TreeUsage | null = null;
  let last = 0;
  let evaluations = 0;
  const engines = new Set<string>();
  const stop = new AbortController();
  try {
    await runExperiment(store, { ...req, params: [], dataDir }, {
      signal: stop.signal,
      onRunStart: () => {
        start ??= performance.now();
        sampler ??= sampleTreeCpu();
      },
      onEvaluation: (e) => {
        if (stop.signal.aborted) return;
        last = performance.now();
        evaluations++;
        engines.add(`${e.backend}×${e.threads}`);
        if (evaluations === stopAfter) {
          usage = sampler!.stop();
          stop.abort();
        }
      },
    });
  } finally {
    store.close();
  }
  usage ??= sampler!.stop();
  return { seconds: (last - (start ?? last)) / 1000, evaluations, usage, engines: [...engines].join(', ') };
}

interface TabularRow {
  readonly setup: string;
  readonly msPerEvaluation: number;
  readonly evaluations: number;
}
const tabularRows: TabularRow[] = only === 'trained' ? [...(previous?.tabular ?? [])] : [];
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

interface TrainedRow {
  readonly task: string;
  readonly setup: string;
  readonly childrenPerHour: number;
  readonly ratio: number;
  readonly children: number;
  readonly seconds: number;
  readonly cpuSecondsPerChild: number;
  readonly meanLoad: number;
  readonly engines: string;
  /** When it was measured (rows kept from an earlier run keep theirs). */
  readonly date?: string;
}
const measuredAt = new Date().toISOString();
const trainedRows: TrainedRow[] = (only === 'tabular' ? (previous?.trained ?? []) : (previous?.trained ?? []).filter((r) => !TRAINED_TASKS.includes(r.task))).map((r) => ({ ...r, date: r.date ?? previous!.machine.date }));
if (only !== 'tabular') {
  for (const task of TRAINED_TASKS) {
    if (!getTask(task).dataStatus(dataDir).present) {
      console.error(`${task}: data not in ${dataDir.path}, skipped`);
      continue;
    }
    // One random-search run with budget to spare, stopped after CHILDREN evaluations.
    const base = { method: 'random', task, seeds: [0], budget: 10 * CHILDREN, options: { preset: 'tiny', fetch: false, backend: 'auto' } };
    const setups: [string, () => Promise<Measured>][] = [
      // The default picks its engine threads by the load average when a run starts (1 thread above
      // load cores − 1). Pinned to what it picks on an idle machine, so the baseline does not
      // change with whatever else ran in the minute before.
      [`sequential (--workers 1, ${IDLE_THREADS} threads as on an idle machine)`, () => measure({ ...base, workers: 1, options: { ...base.options, threads: IDLE_THREADS } }, CHILDREN)],
      ['2 local workers (--workers 2)', () => measure({ ...base, workers: 2 }, CHILDREN)],
      [
        '2 BullMQ workers on this machine (--threads 1)',
        async () => {
          const workers = startWorkers(2, 1);
          try {
            return await measure({ ...base, queue: redis.url, workers: 2 }, CHILDREN);
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
      const row = { task, setup, date: measuredAt, childrenPerHour: perHour, ratio: perHour / sequential, children: m.evaluations, seconds: m.seconds, cpuSecondsPerChild: m.usage.cpuSeconds / m.evaluations, meanLoad: m.usage.meanLoad, engines: m.engines };
      trainedRows.push(row);
      console.log(JSON.stringify(row));
    }
  }
}

await redis.kill();
rmSync(work, { recursive: true, force: true });

/** Whether 2 workers reached 1.6× the sequential default's children per hour, per task and setup. */
function verdict(): string {
  const twos = trainedRows.filter((r) => !r.setup.startsWith('sequential'));
  const lines = twos.map((r) => `${r.task}, ${r.setup}: ${r.ratio.toFixed(2)}× (${r.ratio >= 1.6 ? 'met' : 'not met'})`);
  return `Target, 2 workers ≥ 1.6× the sequential default: ${lines.join('; ')}. ` +
    'CPU s per child: user + system time of the whole process tree (this process, worker processes, sandboxed processors, redis-server) over the timed stretch, per child; ' +
    `cores used: that CPU time over the wall time. Linux ${AUTOGROUP ? 'shares the CPUs fairly between sessions (sched_autogroup is on)' : 'schedules every process alike (sched_autogroup is off)'}: ` +
    'on a machine busy with other sessions this benchmark gets its session’s share, however many worker processes it runs.';
}

const notMeasured = (what: string) => `\n_${what}: not measured in this run._\n`;
writeResults(
  'parallel',
  { machine: machine(), tabular: tabularRows, trained: trainedRows, tabularRuns: TABULAR },
  `# Parallel and distributed evaluation\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    `## Trained children per hour (tiny preset, random search; one run per setup, stopped after the children counted)\n` +
    (trainedRows.length
      ? '\n' +
        markdownTable(
          ['Task', 'Setup', 'Children/hour', '× sequential', 'Children', 'Seconds', 'CPU s per child', 'Cores used', 'Mean load', 'Engine×threads', 'Measured'],
          trainedRows.map((r) => [
            r.task,
            r.setup,
            r.childrenPerHour.toFixed(1),
            r.ratio.toFixed(2),
            r.children,
            r.seconds.toFixed(0),
            r.cpuSecondsPerChild.toFixed(0),
            ((r.cpuSecondsPerChild * r.children) / r.seconds).toFixed(2),
            r.meanLoad.toFixed(1),
            r.engines,
            (r.date ?? measuredAt).slice(0, 16).replace('T', ' '),
          ]),
        ) +
        '\n\n' +
        verdict() +
        '\n'
      : notMeasured('Trained children')) +
    `\n## Queue overhead on a tabular task (nb201-cifar10, random, ${TABULAR.seeds} seeds × ${TABULAR.budget} evaluations)\n` +
    (tabularRows.length
      ? '\n' + markdownTable(['Setup', 'ms per evaluation', 'Evaluations'], tabularRows.map((r) => [r.setup, r.msPerEvaluation.toFixed(3), r.evaluations])) + '\n'
      : notMeasured('Queue overhead')) +
    `\nWall time from the start of the first run (the task already open) to the commit of the last search evaluation (final trainings excluded), on this machine with a 1-minute load average of ${loadAtStart.toFixed(1)} when the measurements started. ` +
    'Reproduce: `npm run build && node dist/benchmarks/parallel.js --data-dir <data dir>` (`--only tabular` for the cheap part).\n',
);
console.log('results/parallel.md written');
