/**
 * Crash-resume soak: experiments are killed with SIGKILL at random moments (and interrupted with
 * SIGINT a few times) and resumed after each, then compared with uninterrupted runs of the same
 * seeds: evaluations lost, duplicated or different, final results, integrity. Two experiments: a
 * tabular one (NAS-Bench-201, thousands of evaluations a second) and a trained one (PTB-format
 * corpus written here, smoke preset, cpu backend, whose children train for seconds).
 * Usage: node dist/benchmarks/reliability.js [--data-dir DIR] [--kills 20]
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Store } from '../src/store/store.js';
import { resolveDataDir } from '../src/data/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { nasbenchAsync } from '../support/cli.js';
import { killRepeatedly } from '../support/kill.js';
import { writePtbFixture } from '../support/ptb-fixture.js';
import { RESULTS_DIR, machine, markdownTable, writeResults } from './results.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataDir = resolveDataDir(arg('--data-dir'));
if (!getTask('nb201-cifar10').dataStatus(dataDir).present) {
  console.error(`the NAS-Bench-201 tables are not in ${dataDir.path}: pass --data-dir or set NASBENCH_DATA_DIR`);
  process.exit(2);
}
const KILLS = Number(arg('--kills') ?? 20);
const work = mkdtempSync(join(tmpdir(), 'nasbench-soak-'));

interface Scenario {
  readonly name: string;
  readonly experiment: string;
  readonly dataDir: string;
  /** `run` arguments after the data directory is given. */
  readonly run: readonly string[];
  readonly total: number;
  readonly sigints: number;
  readonly windowMs: number;
}

interface Stored {
  readonly rows: unknown[][][];
  readonly finals: unknown[];
  readonly integrity: string;
}

/** Per run, every evaluation as (ordinal, architecture, status, value); the run's outcome. */
function stored(db: string): Stored {
  const store = Store.open(db);
  try {
    const runs = store.runs();
    return {
      rows: runs.map((r) => store.evaluations(r.id).map((e) => [e.ordinal, e.arch, e.status, e.value])),
      finals: runs.map((r) => [r.status, r.finalArch, r.finalValue]),
      integrity: store.integrityCheck(),
    };
  } finally {
    store.close();
  }
}

async function soak(s: Scenario) {
  const t0 = performance.now();
  const run = [...s.run, '--data-dir', s.dataDir, '--quiet'];
  const resume = ['resume', '--all', '--data-dir', s.dataDir, '--quiet'];
  const reference = join(work, `${s.name}-reference.db`);
  await nasbenchAsync([...run, '--db', reference]);
  const expected = stored(reference);
  const db = join(work, `${s.name}-soak.db`);
  const strikes = await killRepeatedly({
    run,
    resume,
    db,
    total: s.total,
    kills: KILLS + s.sigints,
    windowMs: s.windowMs,
    sigints: s.sigints,
    afterStrike: (path) => {
      const integrity = stored(path).integrity;
      if (integrity !== 'ok') throw new Error(`${s.name}: integrity check failed after a strike: ${integrity}`);
    },
  });
  await nasbenchAsync([...resume, '--db', db]);
  const got = stored(db);
  const count = got.rows.reduce((n, r) => n + r.length, 0);
  const differing = got.rows.reduce((n, rows, r) => n + rows.filter((row, i) => JSON.stringify(row) !== JSON.stringify(expected.rows[r]?.[i])).length, 0);
  return {
    experiment: s.experiment,
    sigkills: strikes.sigkills,
    sigints: strikes.sigints,
    interruptionsMidRun: strikes.midRun,
    evaluationsChecked: count,
    lost: Math.max(0, s.total - count),
    storedBeyondBudget: Math.max(0, count - s.total),
    differingFromUninterrupted: differing,
    finalResultsIdentical: JSON.stringify(got.finals) === JSON.stringify(expected.finals),
    integrityCheck: got.integrity,
    wallSeconds: Math.round((performance.now() - t0) / 1000),
  };
}

const scenarios: Scenario[] = [
  {
    name: 'tabular',
    experiment: 'evolution on nb201-cifar10, 6 seeds × 8000 evaluations',
    dataDir: dataDir.path,
    run: ['run', 'evolution', '--task', 'nb201-cifar10', '--seeds', '6', '--budget', '8000'],
    total: 6 * 8000,
    sigints: 3,
    windowMs: 100,
  },
  {
    name: 'trained',
    experiment: 'evolution on ptb (smoke preset, cpu backend, PTB-format corpus written by the benchmark), 1 seed × 30 trained children',
    dataDir: writePtbFixture(),
    run: ['run', 'evolution', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--seeds', '1', '--budget', '30', '--allow-unverified-data'],
    total: 30,
    sigints: 2,
    windowMs: 8_000,
  },
];
const figures: Record<string, Awaited<ReturnType<typeof soak>>> = {};
for (const s of scenarios) {
  figures[s.name] = await soak(s);
  console.log(s.name, JSON.stringify(figures[s.name]));
}
rmSync(work, { recursive: true, force: true });

/** The sections below the soak's figures (the test-suite cases, written by hand) survive a new soak. */
function handWrittenSections(): string {
  const file = join(RESULTS_DIR, 'reliability.md');
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const at = text.indexOf('\n## ');
  return at < 0 ? '' : text.slice(at);
}

const names = Object.keys(figures);
const rows = Object.keys(figures[names[0]!]!).map((k) => [k, ...names.map((n) => String((figures[n] as Record<string, unknown>)[k]))]);
writeResults(
  'reliability',
  { machine: machine(), ...figures },
  `# Crash-resume soak\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    markdownTable(['Figure', ...names], rows) +
    '\n\nEvery interruption is followed by `nasbench resume --all`; the result is compared evaluation by evaluation (ordinal, architecture, status, value) with an uninterrupted run of the same seeds.\n' +
    'Bad inputs and faults (malformed architectures for every space, unknown method/task/backend, bad `--param`, corrupt CIFAR/IDX/UTF-8/NB201 files, a `--db` that is not SQLite or newer, a full disk, plugins that throw, return invalid architectures, hang or are not deterministic, diverging children) are covered by the test suite (`npm test`), each checking the one-line message, the exit code and an intact database.\n' +
    'Reproduce: `npm run build && node dist/benchmarks/reliability.js --data-dir <dir with nas-bench-201/>`.\n' +
    handWrittenSections(),
);
const failed = Object.values(figures).some((f) => f.lost !== 0 || f.differingFromUninterrupted !== 0 || !f.finalResultsIdentical || f.integrityCheck !== 'ok');
if (failed) process.exit(1);
