import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Store } from '../src/store/store.js';
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
  /** How many of the strikes are Ctrl-C (SIGINT) rather than SIGKILL, spread among them. */
  readonly sigints?: number;
  /** Called after every strike (e.g. an integrity check). */
  readonly afterStrike?: (db: string) => void;
}

export interface StrikeCount {
  readonly sigkills: number;
  readonly sigints: number;
  /** Strikes that left the experiment unfinished. */
  readonly midRun: number;
}

/**
 * Starts the CLI (run, then resume) and stops it at a random moment after it has begun writing,
 * with SIGKILL (or now and then SIGINT), until `kills` strikes have landed mid-experiment or it
 * finishes.
 */
export async function killRepeatedly(s: Strikes): Promise<StrikeCount> {
  const sigintsWanted = s.sigints ?? 0;
  let sigkills = 0;
  let sigints = 0;
  let midRun = 0;
  for (let attempt = 0; attempt < s.kills * 5 && midRun < s.kills; attempt++) {
    const started = existsSync(s.db) && sequences(s.db).length > 0;
    const child = startNasbench([...(started ? s.resume : s.run), '--db', s.db]);
    // Wait until this process is writing (start-up time varies with load), then strike at a random moment.
    const before = evaluationCount(s.db);
    const done = exited(child);
    let finished = false;
    void done.then(() => (finished = true));
    for (let i = 0; i < 6000 && !finished && evaluationCount(s.db) === before; i++) await sleep(10);
    await sleep(Math.floor(Math.random() * s.windowMs));
    const interrupt = sigints < sigintsWanted && (attempt + 1) % Math.ceil(s.kills / sigintsWanted) === 0;
    child.kill(interrupt ? 'SIGINT' : 'SIGKILL');
    await done;
    if (interrupt) sigints++;
    else sigkills++;
    s.afterStrike?.(s.db);
    const count = evaluationCount(s.db);
    if (count > 0 && count < s.total) midRun++;
    if (count === s.total) break;
  }
  return { sigkills, sigints, midRun };
}
