import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { UserError } from '../errors.js';
import { describeDataDir, type DataDir } from './data-dir.js';
import type { ImageDataset, TableFiles, TextCorpus } from './types.js';

/** One file a data set needs, and what it is known to contain. */
export interface DataFile {
  /** Path inside the data set's directory. */
  readonly name: string;
  /** sha256 of the file's bytes. */
  readonly sha256?: string;
  /**
   * sha256 of the decompressed bytes of a gzip file: the compressed bytes differ between copies
   * of the same data (Debian's package recompresses Fashion-MNIST), the content does not.
   */
  readonly gunzippedSha256?: string;
  /** Exact size, where no checksum is published but the format fixes it. */
  readonly bytes?: number;
  /** Where the file comes from when no download provides it (it is then imported, `nasbench data import`). */
  readonly source?: string;
}

interface DownloadBase {
  readonly url: string;
  /** Checksums of the downloaded file itself, as its publisher gives them. */
  readonly md5?: string;
  readonly sha256?: string;
}

/** A URL that is one data file. */
export interface FileDownload extends DownloadBase {
  readonly kind: 'file';
  readonly file: string;
}

/** A URL that is an archive holding data files. */
export interface ArchiveDownload extends DownloadBase {
  readonly kind: 'tar.gz' | 'zip';
  /** Data file name → path of the member inside the archive. */
  readonly members: Readonly<Record<string, string>>;
}

export type Download = FileDownload | ArchiveDownload;

export type DatasetKind = 'image' | 'text' | 'table';
export type AnyDataset = ImageDataset | TextCorpus | TableFiles;

export interface DatasetDefinition<T extends AnyDataset> {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly kind: DatasetKind;
  /** Directory inside the data directory. */
  readonly dir: string;
  readonly files: readonly DataFile[];
  readonly downloads: readonly Download[];
  /** Other complete copies to use when the data directory has none, e.g. installed by an OS package. */
  readonly systemDirs?: readonly string[];
  /** How to get such a copy, for error messages. */
  readonly systemHint?: string;
  /** Caveats shown by `data list`, e.g. which checksums exist. */
  readonly notes?: readonly string[];
  /** Decodes the files from the directory holding them. */
  read(dir: string): T;
}

export interface DatasetStatus {
  readonly present: boolean;
  /** Where the files are when present, else where they belong in the data directory. */
  readonly dir: string;
  readonly foundIn: 'data-dir' | 'system' | null;
  /** Files missing from the data directory, as paths inside it (e.g. ptb/ptb.train.txt). */
  readonly missing: readonly string[];
}

export interface Dataset<T extends AnyDataset = AnyDataset> extends DatasetDefinition<T> {
  status(dataDir: DataDir): DatasetStatus;
  /** Decodes the data set from wherever status() finds it; a UserError says how to get it if absent. */
  load(dataDir: DataDir): T;
}

export function defineDataset<T extends AnyDataset>(definition: DatasetDefinition<T>): Dataset<T> {
  const dataset: Dataset<T> = {
    ...definition,
    status: (dataDir) => datasetStatus(dataset, dataDir),
    load(dataDir) {
      const status = datasetStatus(dataset, dataDir);
      if (!status.present) throw missingDatasetError(dataset, dataDir, status);
      return definition.read(status.dir);
    },
  };
  return dataset;
}

/** The data set's files as paths inside the data directory, '/'-separated as in messages and docs. */
/** The data set's file of that name (a name the registry itself uses: a miss is a registry bug). */
export function fileNamed(dataset: DatasetDefinition<AnyDataset>, name: string): DataFile {
  const file = dataset.files.find((f) => f.name === name);
  if (!file) throw new Error(`data set ${dataset.name} has no file ${name}`);
  return file;
}

export function layoutOf(dataset: DatasetDefinition<AnyDataset>): string[] {
  return dataset.files.map((f) => posix.join(dataset.dir, f.name));
}

export function datasetStatus(dataset: DatasetDefinition<AnyDataset>, dataDir: DataDir): DatasetStatus {
  const own = join(dataDir.path, dataset.dir);
  const missing = dataset.files.filter((f) => !isFile(join(own, f.name))).map((f) => posix.join(dataset.dir, f.name));
  if (missing.length === 0) return { present: true, dir: own, foundIn: 'data-dir', missing };
  for (const dir of dataset.systemDirs ?? []) {
    if (dataset.files.every((f) => isFile(join(dir, f.name)))) return { present: true, dir, foundIn: 'system', missing };
  }
  return { present: false, dir: own, foundIn: null, missing };
}

/** How to provide the files by hand, appended to every "not there" and "cannot download" message. */
export function byHandHint(dataset: DatasetDefinition<AnyDataset>, dataDir: DataDir): string {
  const system = dataset.systemHint ? `, or ${dataset.systemHint}` : '';
  return (
    `To provide ${dataset.title} by hand, put ${layoutOf(dataset).join(', ')} under ${describeDataDir(dataDir)}, ` +
    `or point --data-dir or NASBENCH_DATA_DIR at a directory that has them${system}.`
  );
}

export function missingDatasetError(dataset: DatasetDefinition<AnyDataset>, dataDir: DataDir, status: DatasetStatus): UserError {
  return new UserError(
    `${dataset.title} is not in the data directory ${describeDataDir(dataDir)}: missing ${status.missing.join(', ')}. ` +
      `Run 'nasbench data fetch ${dataset.name}' to download it. ${byHandHint(dataset, dataDir)}`,
  );
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
