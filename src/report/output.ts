import { mkdirSync, readdirSync, realpathSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import type { ChartSpec } from './charts.js';
import type { ChartLink } from './markdown.js';

/** Where the PNG charts of a report written to `out` go: `<name>-charts/` beside it. */
export function chartFolder(out: string): string {
  return join(dirname(out), `${basename(out, extname(out))}-charts`);
}

/** The absolute path with every symbolic link in its existing part resolved. */
function canonical(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(canonical(parent), basename(absolute));
  }
}

function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return false;
  }
}

/**
 * Refuses an output path that is a directory, or that is the store being read (its file, or
 * SQLite's -wal, -shm or -journal beside it), however it is spelled: writing there destroys it.
 */
export function checkOutPath(flag: string, out: string, db: string): void {
  try {
    if (statSync(out).isDirectory()) throw new UserError(`${flag} ${out}: is a directory; expected a file name`);
  } catch (err) {
    if (err instanceof UserError) throw err;
  }
  const target = canonical(out);
  const store = canonical(db);
  if (['', '-wal', '-shm', '-journal'].some((side) => target === store + side || sameFile(out, db + side))) {
    throw new UserError(`${flag} ${out}: is the database this report reads (--db ${db}); choose another file`);
  }
}

/**
 * Writes a whole file or nothing: the bytes go to a temporary file in the same folder, which then
 * replaces `path` in one rename. A kill or a full disk leaves the earlier file as it was.
 */
export function writeAtomically(flag: string, path: string, bytes: string | Uint8Array): void {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(temporary, bytes);
    renameSync(temporary, path);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw new UserError(`${flag} ${path}: cannot write it (${errorMessage(err)}); any earlier file there was left as it was`);
  }
}

/** Renders every chart to `<folder>/<id>.png`, each replaced whole; returns links relative to the folder's parent. */
export async function writeCharts(charts: readonly ChartSpec[], folder: string): Promise<ChartLink[]> {
  if (charts.length === 0) return [];
  // Chart.js and the Skia canvas load only for reports that draw PNGs.
  const { renderPng } = await import('./png.js');
  return charts.map((c) => {
    const file = join(folder, `${c.id}.png`);
    writeAtomically('--out', file, renderPng(c));
    return { title: c.title, path: relative(dirname(folder), file).split('\\').join('/') };
  });
}

/**
 * Removes the PNGs of an earlier report (other tasks, say) that the new one does not link; called
 * once the new charts and the report linking them are in place.
 */
export function pruneCharts(folder: string, keep: readonly ChartLink[]): void {
  const kept = new Set(keep.map((l) => basename(l.path)));
  let files: string[];
  try {
    files = readdirSync(folder);
  } catch {
    return;
  }
  for (const f of files) if (f.endsWith('.png') && !kept.has(f)) rmSync(join(folder, f), { force: true });
}
