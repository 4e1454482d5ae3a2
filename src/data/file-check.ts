import { stat } from 'node:fs/promises';
import { errorMessage } from '../errors.js';
import { digestFile } from './checksum.js';
import type { DataFile } from './dataset.js';
import { grouped } from './numbers.js';

export interface FileCheck {
  readonly ok: boolean;
  /** What was compared: a published checksum, or only the size where none is published. */
  readonly checked: 'sha256' | 'sha256 after gunzip' | 'size' | 'nothing';
  /** One line naming the file; on failure it says what differs. */
  readonly message: string;
}

/**
 * Recomputes what is known about one data file: its sha256 (of the content, for gzip files), else
 * its size. Messages name the file as `label` (a download's temporary file is named for what it will be).
 */
export async function checkDataFile(path: string, file: DataFile, label = path): Promise<FileCheck> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { ok: false, checked: 'nothing', message: `${label}: file not found` };
  }
  if (file.sha256 || file.gunzippedSha256) {
    const gunzip = !file.sha256;
    const checked = gunzip ? 'sha256 after gunzip' : 'sha256';
    const expected = (file.sha256 ?? file.gunzippedSha256) as string;
    let actual: string;
    try {
      actual = (await digestFile(path, { gunzip })).sha256;
    } catch (err) {
      return { ok: false, checked, message: `${label}: cannot read${gunzip ? ' as gzip' : ''} (${errorMessage(err)})` };
    }
    return actual === expected
      ? { ok: true, checked, message: `${label}: ${checked} ${actual} as expected` }
      : { ok: false, checked, message: `${label}: ${checked} ${actual} differs from the expected ${expected}` };
  }
  if (file.bytes !== undefined) {
    return size === file.bytes
      ? { ok: true, checked: 'size', message: `${label}: ${grouped(size)} bytes as expected (no published checksum)` }
      : { ok: false, checked: 'size', message: `${label}: ${grouped(size)} bytes, expected ${grouped(file.bytes)}` };
  }
  return { ok: true, checked: 'nothing', message: `${label}: present (no published checksum or size)` };
}
