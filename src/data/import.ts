import { copyFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UserError } from '../errors.js';
import type { DataDir } from './data-dir.js';
import { fileNamed, type AnyDataset, type Dataset } from './dataset.js';
import { inFetchWork, moveIntoPlace, removeStaleFetchDirs } from './fetch-work.js';
import { checkDataFile } from './file-check.js';

export interface ImportResult {
  readonly name: string;
  readonly dir: string;
  /** Files copied in, as paths inside the data directory. */
  readonly imported: readonly string[];
  /** Files the source did not hold that are still missing, as paths inside the data directory. */
  readonly missing: readonly string[];
}

/**
 * Copies a data set's files from a copy the user already has (a file, or a directory holding them
 * by name, directly or in the data set's own folder) into the data directory. Every file is
 * checked against the registry (sha256, else size) before it is moved to its final name; a file
 * that differs stops the import with one line and nothing of it is kept.
 */
export async function importDataset(dataset: Dataset<AnyDataset>, source: string, dataDir: DataDir): Promise<ImportResult> {
  const found = await sourceFiles(dataset, source);
  if (found.size === 0) {
    throw new UserError(`${source}: holds none of ${dataset.title}'s files (expected ${dataset.files.map((f) => f.name).join(', ')}, or a directory holding them)`);
  }
  await removeStaleFetchDirs(dataDir.path);
  const target = join(dataDir.path, dataset.dir);
  const imported = await inFetchWork(dataDir, async (work) => {
    const staged = new Map<string, string>();
    for (const [name, from] of found) {
      const check = await checkDataFile(from, fileNamed(dataset, name), from);
      if (!check.ok) throw new UserError(`${check.message}; nothing was imported`);
      const copy = join(work, `import-${staged.size}`);
      await copyFile(from, copy);
      staged.set(name, copy);
    }
    return moveIntoPlace(staged, target, dataset.dir);
  });
  return { name: dataset.name, dir: target, imported, missing: dataset.status(dataDir).missing };
}

/** The data set's files the source provides, by their name in the data set. */
async function sourceFiles(dataset: Dataset<AnyDataset>, source: string): Promise<Map<string, string>> {
  const kind = await stat(source).then(
    (s) => (s.isDirectory() ? 'dir' : s.isFile() ? 'file' : 'other'),
    () => 'absent',
  );
  if (kind === 'absent') throw new UserError(`${source}: no such file or directory (expected a file or a directory holding ${dataset.title}'s files)`);
  if (kind === 'other') throw new UserError(`${source}: expected a file or a directory`);
  const found = new Map<string, string>();
  for (const file of dataset.files) {
    const candidates = kind === 'file' ? (basename(file.name) === basename(source) ? [source] : []) : [join(source, file.name), join(source, dataset.dir, file.name)];
    for (const path of candidates) {
      if (await stat(path).then((s) => s.isFile(), () => false)) {
        found.set(file.name, path);
        break;
      }
    }
  }
  return found;
}
