import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { DataDir } from './data-dir.js';
import type { DataFile, Dataset } from './dataset.js';
import { checkDataFile } from './file-check.js';
import { VerifiedCache } from './verified-cache.js';

export interface ContentCheck {
  /** Every file matches its known checksum (or size). */
  readonly verified: boolean;
  /** One line per file that differs, naming it. */
  readonly unverified: readonly string[];
}

/**
 * Checks the files of a data set against their known checksums (or exact sizes) before a task
 * uses them: a file altered in place (a NUL byte, a byte-order mark, an IDX header declaring
 * another shape) would otherwise train and produce results. A verification is remembered by the
 * file's path, size and modification time, so opening the same files again costs a stat each.
 * Files that differ are refused with one line unless `allowUnverified`, which returns them so that
 * the run can record them.
 */
export async function checkDatasetContent(dataset: Dataset, dataDir: DataDir, options: { readonly allowUnverified: boolean }): Promise<ContentCheck> {
  const dir = dataset.status(dataDir).dir;
  const cache = new VerifiedCache(dataDir.path);
  const unverified: string[] = [];
  for (const file of dataset.files) {
    const expected = expectation(file);
    if (expected === null) continue;
    const path = join(dir, file.name);
    const before = await stat(path).catch(() => null);
    if (before !== null && cache.has(path, before, expected)) continue;
    const check = await checkDataFile(path, file);
    if (!check.ok) unverified.push(check.message);
    else if (before !== null) cache.add(path, { size: before.size, mtimeMs: before.mtimeMs, expected });
  }
  cache.save();
  if (unverified.length > 0 && !options.allowUnverified) {
    const more = unverified.length > 1 ? ` (and ${unverified.length - 1} more file${unverified.length > 2 ? 's' : ''} of ${dataset.title} differ${unverified.length > 2 ? '' : 's'})` : '';
    throw new UserError(
      `${unverified[0]}${more}: these are not the files nasbench knows; restore them (remove them and run 'nasbench data fetch ${dataset.name}', ` +
        `or 'nasbench data verify ${dataset.name}' to see every difference) or pass --allow-unverified-data to use them anyway (recorded with the run)`,
    );
  }
  return { verified: unverified.length === 0, unverified };
}

/** What a file is checked against, as one string; null when nothing is known of it. */
function expectation(file: DataFile): string | null {
  if (file.sha256) return `sha256 ${file.sha256}`;
  if (file.gunzippedSha256) return `sha256 after gunzip ${file.gunzippedSha256}`;
  if (file.bytes !== undefined) return `${file.bytes} bytes`;
  return null;
}
