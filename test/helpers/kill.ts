import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Store } from '../../src/store/store.js';
import { startNasbench } from './cli.js';

export const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Per run, the architectures evaluated, in order. */
export function sequences(db: string): string[][] {
  const store = Store.open(db);
  try {
    return store.runs().map((r) => store.evaluations(r.id).map((e) => e.arch));
  } finally {
    store.close();
  }
}

export function evaluationCount(db: string): number {
  if (!existsSync(db)) return 0;
  const store = Store.open(db);
  try {
    return store.runs().reduce((n, r) => n + r.evaluations, 0);
  } finally {
    store.close();
  }
}

export interface Strikes {
  /** `nasbench run …` arguments, without --db. */
  readonly run: readonly string[];
  /** `nasbench resume --all …` arguments after the first start, without --db. */
  readonly resume: readonly string[];
  readonly db: string;
  /** Evaluations of the whole experiment. */
  readonly total: number;
  /** Kills that must land while the experiment is unfinished. */
  readonly kills: number;
  /** After the process starts writing, strike within this many milliseconds. */
  readonly windowMs: number;
}

/**
 * Starts the CLI (run, then resume) and kills it with SIGKILL at a random moment after it has
 * begun writing, until `kills` strikes have landed mid-experiment or it finishes. Returns how many
 * landed mid-experiment.
 */
export async function killRepeatedly(s: Strikes): Promise<number> {
  let midRun = 0;
  for (let attempt = 0; attempt < s.kills * 5 && midRun < s.kills; attempt++) {
    const started = existsSync(s.db) && sequences(s.db).length > 0;
    const child = startNasbench([...(started ? s.resume : s.run), '--db', s.db]);
    // Wait until this process is writing (start-up time varies with load), then strike at a random moment.
    const before = evaluationCount(s.db);
    const done = exited(child);
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 3000 && !finished && evaluationCount(s.db) === before; i++) await sleep(10);
    await sleep(Math.floor(Math.random() * s.windowMs));
    child.kill('SIGKILL');
    await done;
    const count = evaluationCount(s.db);
    if (count > 0 && count < s.total) midRun++;
    if (count === s.total) break;
  }
  return midRun;
}
