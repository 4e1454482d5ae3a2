/**
 * The tuning protocol of the NAS-Bench-201 defaults (results/tuning.md): every candidate setting
 * of a method runs on nb201-cifar10 with seeds never reported (TUNING_SEEDS), and is scored by the
 * 12-epoch validation accuracy of the cell each run returns — the search signal the searcher
 * itself sees. The 200-epoch test accuracy (the reported metric) is never read here.
 *
 *   node dist/benchmarks/tuning-nb201.js [--db <file>] [--only <method>]
 *
 * Resumable: settings already in results/tuning.json are not run again; a `nasbench run`
 * interrupted half-way is finished with `nasbench resume`. Runs under `nice -n 10`.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { PACKAGE_ROOT } from '../src/harness/package-root.js';
import { RESULTS_DIR, machine, readResults } from './results.js';

export const TUNING_SEEDS = '2000..2019';
const TASK = 'nb201-cifar10';
const BUDGET = 150;

/** Candidate settings per method; the first of each is the default before tuning. */
export const CANDIDATES: Readonly<Record<string, readonly (readonly string[])[]>> = {
  evolution: [[], ['population=20', 'sample_size=5'], ['population=50', 'sample_size=10']],
  enas: [[], ['unique=true'], ['tanh_constant=1.1', 'op_tanh_reduce=2.5'], ['lr=0.01']],
  nao: [[], ['top_k=5'], ['epochs=40', 'lr=0.03', 'batch_size=100']],
};

interface Scored {
  readonly method: string;
  readonly params: readonly string[];
  readonly seeds: string;
  readonly runs: number;
  /** 12-epoch validation accuracy (%) of the returned cell: mean and sample std over the runs. */
  readonly validMean: number;
  readonly validStd: number;
  readonly wallSeconds: number;
  readonly machine: Record<string, string | number>;
}

const OUT = join(RESULTS_DIR, 'tuning.json');

function done(): Scored[] {
  return readResults<{ results: Scored[] }>('tuning')?.results ?? [];
}

/** The returned cells' search-signal values of an experiment: the evaluation that found each run's final cell. */
function validOfReturnedCells(db: string, experimentId: number): number[] {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = sqlite
      .prepare(
        `SELECT e.value FROM runs r JOIN evaluations e ON e.run_id = r.id AND e.ordinal = r.final_ordinal
         WHERE r.experiment_id = ? AND r.status = 'completed' ORDER BY r.seed`,
      )
      .all(experimentId) as { value: number }[];
    return rows.map((r) => r.value);
  } finally {
    sqlite.close();
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const db = args.includes('--db') ? args[args.indexOf('--db') + 1]! : join(PACKAGE_ROOT, 'results', 'tuning.db');
  const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
  const results = done();
  for (const [method, settings] of Object.entries(CANDIDATES)) {
    if (only !== undefined && method !== only) continue;
    for (const params of settings) {
      if (results.some((r) => r.method === method && r.params.join(' ') === params.join(' '))) continue;
      const start = Date.now();
      const out = execFileSync(
        'nice',
        ['-n', '10', process.execPath, join(PACKAGE_ROOT, 'bin', 'run.js'), 'run', method, '--task', TASK, '--seeds', TUNING_SEEDS, '--budget', String(BUDGET), '--db', db, '--json', ...params.flatMap((p) => ['--param', p])],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 28 },
      );
      const experimentId = (JSON.parse(out) as { experimentId: number }).experimentId;
      const valid = validOfReturnedCells(db, experimentId);
      const scored: Scored = {
        method,
        params,
        seeds: TUNING_SEEDS,
        runs: valid.length,
        validMean: mean(valid),
        validStd: valid.length > 1 ? sampleStandardDeviation(valid) : 0,
        wallSeconds: (Date.now() - start) / 1000,
        machine: machine(),
      };
      // Re-read: another process (--only) may have added its results meanwhile.
      const all = [...done().filter((r) => !(r.method === method && r.params.join(' ') === params.join(' '))), scored];
      writeFileSync(OUT, JSON.stringify({ task: TASK, budget: BUDGET, signal: '12-epoch validation accuracy of the returned cell', results: all }, null, 2) + '\n');
      console.log(`${method} ${params.join(' ') || '(defaults)'}: ${scored.validMean.toFixed(3)} ± ${scored.validStd.toFixed(3)} over ${scored.runs} runs, ${scored.wallSeconds.toFixed(0)} s`);
    }
  }
}

main();
