import { join, posix } from 'node:path';
import { digestFile } from '../data/checksum.js';
import type { Dataset } from '../data/dataset.js';
import type { DataDir } from '../data/data-dir.js';
import type { DataFileRef, Task } from './types.js';

/** A data set's files where this machine has them (its data directory, or a system copy). */
export function datasetFiles(dataset: Dataset, dir: DataDir): DataFileRef[] {
  const { dir: where } = dataset.status(dir);
  return dataset.files.map((f) => ({ name: posix.join(dataset.dir, f.name), path: join(where, f.name) }));
}

/**
 * The sha256 of every file a task's evaluations read, by its path inside the data directory: what
 * two machines compare to know they evaluate on the same data.
 */
export async function dataChecksums(task: Task, dir: DataDir): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const file of task.dataFiles(dir)) sums[file.name] = (await digestFile(file.path)).sha256;
  return sums;
}
