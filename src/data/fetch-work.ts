import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, stat } from 'node:fs/promises';
import { constants } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { describeDataDir, type DataDir } from './data-dir.js';
import { isProcessAlive, processStartTime } from '../process-identity.js';

/**
 * A fetch works in `<data dir>/.fetch-<pid>-<start time>-<random>`: the name says which process
 * owns it, so a later fetch can tell a dead (or SIGKILLed) process's leftovers from a concurrent
 * fetch still under way.
 */
const NAME = /^\.fetch-(\d+)-(\d+|unknown)-/;
/** Work directories of versions that did not record their owner: removed once this old. */
const OWNERLESS_MAX_AGE_MS = 24 * 60 * 60 * 1000;

export function makeFetchDir(dataDir: string): Promise<string> {
  return mkdtemp(join(dataDir, `.fetch-${process.pid}-${processStartTime(process.pid) ?? 'unknown'}-`));
}

/** Removes the work directories of fetches whose process is gone; returns their names. Never fails (a read-only data directory keeps them). */
export async function removeStaleFetchDirs(dataDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = (await readdir(dataDir)).filter((name) => name.startsWith('.fetch-'));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const path = join(dataDir, name);
    const owner = NAME.exec(name);
    const stale = owner
      ? !isProcessAlive(Number(owner[1]), owner[2] === 'unknown' ? null : (owner[2] as string))
      : await olderThan(path, OWNERLESS_MAX_AGE_MS);
    if (!stale) continue;
    try {
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Left for a fetch that can write here.
    }
  }
  return removed;
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return false;
  }
}

/**
 * While a fetch works in `dir`, Ctrl-C or SIGTERM removes it first. When nothing else listens for
 * the signal (`data fetch`), the process then exits as the signal would have made it (130, 143);
 * otherwise (`run`, which stops gracefully) `abort` stops the download. Returns the unregistration.
 */
export function removeOnSignal(dir: string, abort: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    rmSync(dir, { recursive: true, force: true });
    abort();
    if (process.listenerCount(signal) === 1) process.exit(128 + constants.signals[signal]);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

/**
 * Runs `body` in a fresh work directory of the data directory, which is removed when `body` ends,
 * however it ends, and first on Ctrl-C or SIGTERM (which also aborts `signal`).
 */
export async function inFetchWork<T>(dataDir: DataDir, body: (work: string, signal: AbortSignal) => Promise<T>): Promise<T> {
  const work = await openFetchWork(dataDir);
  const interrupt = new AbortController();
  const unregister = removeOnSignal(work, () => interrupt.abort());
  try {
    return await body(work, interrupt.signal);
  } finally {
    unregister();
    await rm(work, { recursive: true, force: true });
  }
}

/** A fresh work directory in the data directory (made if absent); one line when it cannot be written. */
export async function openFetchWork(dataDir: DataDir): Promise<string> {
  try {
    await mkdir(dataDir.path, { recursive: true });
    return await makeFetchDir(dataDir.path);
  } catch (err) {
    throw new UserError(`cannot write to the data directory ${describeDataDir(dataDir)}: ${errorMessage(err)}`);
  }
}

/**
 * Renames checked files (data set file name → path in the work directory) to their final names in
 * the data set's directory `target`; returns them as paths inside the data directory under `dir`.
 */
export async function moveIntoPlace(staged: ReadonlyMap<string, string>, target: string, dir: string): Promise<string[]> {
  const moved: string[] = [];
  for (const [name, path] of staged) {
    const final = join(target, name);
    await mkdir(dirname(final), { recursive: true });
    await rename(path, final);
    moved.push(posix.join(dir, name));
  }
  return moved;
}
