import { readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file found to match what is known of it, as it was then. */
export interface VerifiedFile {
  readonly size: number;
  readonly mtimeMs: number;
  /** What it was checked against (the expected checksum, or the size): another expectation checks again. */
  readonly expected: string;
}

const FILE = '.nasbench-verified.json';

/** Verifications made by this process: what is used where the data directory cannot be written. */
const memory = new Map<string, VerifiedFile>();

/**
 * Verifications by absolute path, kept in the data directory (`.nasbench-verified.json`) so that
 * a file unchanged since (same size and modification time) is not read again. A data directory
 * that cannot be written (a read-only shared copy) keeps them in memory instead.
 */
export class VerifiedCache {
  private readonly path: string;
  private readonly files: Map<string, VerifiedFile>;
  private changed = false;

  constructor(dataDir: string) {
    this.path = join(dataDir, FILE);
    this.files = new Map([...readCache(this.path), ...memory]);
  }

  has(path: string, now: Omit<VerifiedFile, 'expected'>, expected: string): boolean {
    const known = this.files.get(path);
    return known !== undefined && known.size === now.size && known.mtimeMs === now.mtimeMs && known.expected === expected;
  }

  add(path: string, file: VerifiedFile): void {
    this.files.set(path, file);
    memory.set(path, file);
    this.changed = true;
  }

  /**
   * Writes the cache whole (temporary file, then rename), or keeps it in memory when that fails
   * or the directory has no write bits: a copy made read-only stays as it is, even for root.
   */
  save(): void {
    if (!this.changed || !hasWriteBits(dirname(this.path))) return;
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      writeFileSync(temporary, JSON.stringify({ files: Object.fromEntries(this.files) }, null, 1) + '\n');
      renameSync(temporary, this.path);
    } catch {
      rmSync(temporary, { force: true });
    }
  }
}

function readCache(path: string): [string, VerifiedFile][] {
  try {
    const files = (JSON.parse(readFileSync(path, 'utf8')) as { files?: Record<string, VerifiedFile> }).files ?? {};
    return Object.entries(files).filter(([, f]) => typeof f?.size === 'number' && typeof f.mtimeMs === 'number' && typeof f.expected === 'string');
  } catch {
    return [];
  }
}

function hasWriteBits(dir: string): boolean {
  try {
    return (statSync(dir).mode & 0o222) !== 0;
  } catch {
    return false;
  }
}
