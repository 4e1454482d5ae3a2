import { join, posix } from 'node:path';
import type { DataDir } from './data-dir.js';
import type { Dataset } from './dataset.js';
import { checkDataFile, type FileCheck } from './file-check.js';

export interface FileVerification extends FileCheck {
  /** The file as a path inside the data set's directory. */
  readonly file: string;
  readonly path: string;
}

export interface DatasetVerification {
  readonly name: string;
  /** Where the checked copy is (the data directory's, when there is no complete copy anywhere). */
  readonly dir: string;
  readonly foundIn: 'data-dir' | 'system' | null;
  readonly ok: boolean;
  readonly files: readonly FileVerification[];
}

/** Recomputes every file's checksum (or size, where none is published) in the copy status() finds. */
export async function verifyDataset(dataset: Dataset, dataDir: DataDir): Promise<DatasetVerification> {
  const status = dataset.status(dataDir);
  const files: FileVerification[] = [];
  for (const file of dataset.files) {
    const path = join(status.dir, file.name);
    files.push({ file: posix.join(dataset.dir, file.name), path, ...(await checkDataFile(path, file)) });
  }
  return { name: dataset.name, dir: status.dir, foundIn: status.foundIn, ok: files.every((f) => f.ok), files };
}
