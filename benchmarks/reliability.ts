/**
 * Crash-resume soak: an experiment is killed with SIGKILL at random moments (and interrupted
 * with SIGINT a few times) and resumed after each, then compared with an uninterrupted run of
 * the same seeds: evaluations lost, duplicated or different, final results, integrity.
 * Usage: node dist/benchmarks/reliability.js [--data-dir DIR] [--kills 25]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';
import { Store } from '../src/store/store.js';
import { resolveDataDir } from '../src/tasks/data-dir.js';
import { getTask } from '../src/tasks/index.js';
import { machine, markdownTable, writeResults } from './results.js';

const arg = (name: string) => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
};
const dataDir = resolveDataDir(arg('--data-dir'));
if (!getTask('nb201-cifar10').dataStatus(dataDir).present) {
  console.error(`the NAS-Bench-201 tables are not in ${dataDir.path}: pass --data-dir or set NASBENCH_DATA_DIR`);
  process.exit(2);
}
const KILLS = Number(arg('--kills') ?? 25);
const INTERRUPTS = 3;
const SEEDS = 6;
const BUDGET = 8_000;
const BIN = join(PACKAGE_ROOT, 'bin', 'run.js');
const work = mkdtempSync(join(tmpdir(), 'nasbench-soak-'));
const experiment = ['run', 'evolution', '--task', 'nb201-cifar10', '--seeds', String(SEEDS), '--budget', String(BUDGET), '--data-dir', dataDir.path, '--quiet'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function start(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: 'ignore' });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exit };
}

function stored(db: string): { count: number; sequences: string[][]; finals: unknown[]; integrity: string } {
  if (!existsSync(db)) return { count: 0, sequences: [], finals: [], integrity: 'ok' };
  const store = Store.open(db);
  try {
    const runs = store.runs();
    const sequences = runs.map((r) => store.evaluations(r.id).map((e) => e.arch));
    return {
      count: sequences.reduce((n, s) => n + s.length, 0),
      sequences,
      finals: runs.map((r) => [r.status, r.finalArch, r.finalValue]),
      integrity: store.integrityCheck(),
    };
  } finally {
    store.close();
  }
}

const reference = join(work, 'reference.db');
const t0 = performance.now();
await start([...experiment, '--db', reference]).exit;
const expected = stored(reference);

const db = join(work, 'soak.db');
let kills = 0;
let midRun = 0;
let interrupts = 0;
while (kills + interrupts < KILLS + INTERRUPTS) {
  const resuming = existsSync(db) && stored(db).count > 0;
  const { child, exit } = start(resuming ? ['resume', '--all', '--db', db, '--data-dir', dataDir.path, '--quiet'] : [...experiment, '--db', db]);
  let exited = false;
  void exit.then(() => (exited = true));
  const before = stored(db).count;
  for (let i = 0; i < 500 && !exited && stored(db).count === before; i++) await sleep(10);
  await sleep(Math.random() * 100);
  const useSigint = interrupts < INTERRUPTS && kills % 8 === 7;
  child.kill(useSigint ? 'SIGINT' : 'SIGKILL');
  await exit;
  if (useSigint) interrupts++;
  else kills++;
  const now = stored(db);
  if (now.count > 0 && now.count < SEEDS * BUDGET) midRun++;
  if (now.integrity !== 'ok') throw new Error(`integrity check failed after kill ${kills}: ${now.integrity}`);
  if (now.count === SEEDS * BUDGET && now.finals.every((f) => (f as unknown[])[0] === 'completed')) break;
}
await start(['resume', '--all', '--db', db, '--data-dir', dataDir.path, '--quiet']).exit;
const got = stored(db);
const seconds = (performance.now() - t0) / 1000;
rmSync(work, { recursive: true, force: true });

const differing = got.sequences.reduce((n, seq, r) => n + seq.filter((a, i) => a !== expected.sequences[r]?.[i]).length, 0);
const lost = Math.max(0, SEEDS * BUDGET - got.count);
const figures = {
  machine: machine(),
  experiment: `evolution on nb201-cifar10, ${SEEDS} seeds × ${BUDGET} evaluations`,
  sigkills: kills,
  sigints: interrupts,
  interruptionsMidRun: midRun,
  evaluationsChecked: got.count,
  lost,
  storedBeyondBudget: Math.max(0, got.count - SEEDS * BUDGET),
  differingFromUninterrupted: differing,
  finalResultsIdentical: JSON.stringify(got.finals) === JSON.stringify(expected.finals),
  integrityCheck: got.integrity,
  wallSeconds: Math.round(seconds),
};
writeResults(
  'reliability',
  figures,
  `# Crash-resume soak\n\n${Object.entries(machine()).map(([k, v]) => `${k}: ${v}`).join(' · ')}\n\n` +
    markdownTable(['Figure', 'Value'], Object.entries(figures).filter(([k]) => k !== 'machine').map(([k, v]) => [k, String(v)])) +
    '\n\nEvery interruption is followed by `nasbench resume --all`; the result is compared evaluation by evaluation with an uninterrupted run of the same seeds.\n' +
    'Bad inputs and faults (malformed architectures for every space, unknown method/task/backend, bad `--param`, corrupt CIFAR/IDX/UTF-8/NB201 files, a `--db` that is not SQLite or newer, a full disk, plugins that throw, return invalid architectures, hang or are not deterministic, diverging children) are covered by the test suite (`npm test`), each checking the one-line message, the exit code and an intact database.\n' +
    'Reproduce: `npm run build && node dist/benchmarks/reliability.js --data-dir <dir with nas-bench-201/>`.\n',
);
console.log(JSON.stringify(figures, null, 2));
if (lost !== 0 || differing !== 0 || !figures.finalResultsIdentical || got.integrity !== 'ok') process.exit(1);
