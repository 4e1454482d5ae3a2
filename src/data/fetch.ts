import { rm } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { UserError } from '../errors.js';
import type { DataDir } from './data-dir.js';
import type { Digests } from './checksum.js';
import { byHandHint, fileNamed, missingDatasetError, type AnyDataset, type Dataset, type Download } from './dataset.js';
import { DownloadError, download, type DownloadProgress } from './download.js';
import { checkDataFile } from './file-check.js';
import { inFetchWork, moveIntoPlace, removeStaleFetchDirs } from './fetch-work.js';
import type { Extraction } from './member-file.js';
import { getDataset } from './registry.js';
import { extractTarGz } from './tar-gz.js';
import { extractZip } from './zip.js';

export interface FetchOptions {
  readonly onProgress?: (progress: DownloadProgress) => void;
  /** Fetch every file from this base URL, by its upstream file name, instead of from its upstream host. */
  readonly mirror?: string;
  /** Give up on a server silent for this long (ms). */
  readonly stallMs?: number;
}

export interface EnsureOptions extends FetchOptions {
  /** Whether missing files may be downloaded (false: throw a UserError saying how to provide them). */
  readonly fetch: boolean;
}

export interface DatasetLocation {
  readonly name: string;
  /** The directory holding the data set's files. */
  readonly dir: string;
  readonly foundIn: 'data-dir' | 'system';
  /** Files downloaded by this call, as paths inside the data directory. */
  readonly fetched: readonly string[];
}

/**
 * Where a data set is, downloading what is missing when `fetch` allows it — the counterpart of
 * torchvision's download=True. Throws a UserError saying how to get the data otherwise.
 */
export async function ensureDataset(dataset: string | Dataset, dataDir: DataDir, options: EnsureOptions): Promise<DatasetLocation> {
  const spec = typeof dataset === 'string' ? getDataset(dataset) : dataset;
  const status = spec.status(dataDir);
  if (status.present) return { name: spec.name, dir: status.dir, foundIn: status.foundIn ?? 'data-dir', fetched: [] };
  if (!options.fetch) throw missingDatasetError(spec, dataDir, status);
  return fetchDataset(spec, dataDir, options);
}

/**
 * Downloads the data set's missing files into the data directory. Everything is written under a
 * temporary directory there and checked before being renamed into place, so a final name never
 * holds a partial or unverified file.
 */
export async function fetchDataset(dataset: Dataset, dataDir: DataDir, options: FetchOptions = {}): Promise<DatasetLocation> {
  await removeStaleFetchDirs(dataDir.path);
  const status = dataset.status(dataDir);
  if (status.present) return { name: dataset.name, dir: status.dir, foundIn: status.foundIn ?? 'data-dir', fetched: [] };
  const missing = new Set(dataset.files.map((f) => f.name).filter((name) => status.missing.includes(posix.join(dataset.dir, name))));
  const downloads = dataset.downloads.filter((d) => providedBy(d).some((name) => missing.has(name)));
  const target = join(dataDir.path, dataset.dir);
  const fetched: string[] = [];
  await inFetchWork(dataDir, async (work, signal) => {
    for (const source of downloads) {
      const url = sourceUrl(source.url, options.mirror);
      const downloaded = join(work, basename(new URL(url).pathname) || 'download');
      let digests: Digests;
      try {
        digests = await download(url, downloaded, { onProgress: options.onProgress, stallMs: options.stallMs, signal });
      } catch (err) {
        if (err instanceof DownloadError) throw new UserError(`${err.message}. ${byHandHint(dataset, dataDir)}`);
        throw err;
      }
      checkPublished(source, url, digests, dataset, dataDir);
      const staged = await stage(dataset, source, url, downloaded, missing, work);
      for (const [name, path] of staged) {
        const check = await checkDataFile(path, fileNamed(dataset, name), `${url}: ${posix.join(dataset.dir, name)}`);
        if (!check.ok) throw new UserError(`${check.message}; nothing was saved. ${byHandHint(dataset, dataDir)}`);
      }
      fetched.push(...(await moveIntoPlace(staged, target, dataset.dir)));
    }
  });
  const notDownloadable = [...missing].filter((name) => !dataset.downloads.some((d) => providedBy(d).includes(name)));
  if (notDownloadable.length > 0) throw importNeeded(dataset, notDownloadable, fetched);
  return { name: dataset.name, dir: target, foundIn: 'data-dir', fetched };
}

/** One line for the files no download provides: where they come from and how to import a copy. */
function importNeeded(dataset: Dataset, names: readonly string[], fetched: readonly string[]): UserError {
  const files = names.map((name) => {
    const file = fileNamed(dataset, name);
    const sum = file.sha256 ? `, sha256 ${file.sha256}` : '';
    return `${posix.join(dataset.dir, name)} (${file.source ?? 'no pinned public download'}${sum})`;
  });
  const done = fetched.length > 0 ? `fetched ${fetched.join(', ')}; ` : '';
  return new UserError(
    `${dataset.title}: ${done}${files.join('; ')} cannot be downloaded: get a copy and run 'nasbench data import ${dataset.name} <file or directory>'`,
  );
}

function providedBy(source: Download): string[] {
  return source.kind === 'file' ? [source.file] : Object.keys(source.members);
}

function sourceUrl(url: string, mirror: string | undefined): string {
  return mirror ? `${mirror.replace(/\/+$/, '')}/${basename(new URL(url).pathname)}` : url;
}

function checkPublished(source: Download, url: string, digests: Digests, dataset: Dataset<AnyDataset>, dataDir: DataDir): void {
  for (const algorithm of ['sha256', 'md5'] as const) {
    const expected = source[algorithm];
    if (expected && digests[algorithm] !== expected) {
      throw new UserError(
        `${url}: the download's ${algorithm} ${digests[algorithm]} differs from the published ${expected}; nothing was saved. ${byHandHint(dataset, dataDir)}`,
      );
    }
  }
}

/**
 * The most bytes an archive member may unpack to when its data file has no known size: every
 * member the registry names has one; this bounds a data set defined elsewhere.
 */
const UNSIZED_MEMBER_CAP = 2 ** 31;

/** The downloaded data files as temporary paths, unpacking the members still missing from an archive. */
async function stage(dataset: Dataset, source: Download, url: string, downloaded: string, missing: ReadonlySet<string>, work: string): Promise<Map<string, string>> {
  if (source.kind === 'file') return new Map([[source.file, downloaded]]);
  const staged = new Map<string, string>();
  const wanted = new Map<string, Extraction>();
  Object.entries(source.members)
    .filter(([name]) => missing.has(name))
    .forEach(([name, member], i) => {
      const path = join(work, `member-${i}`);
      staged.set(name, path);
      wanted.set(member, { dest: path, maxBytes: fileNamed(dataset, name).bytes ?? UNSIZED_MEMBER_CAP });
    });
  const found = source.kind === 'tar.gz' ? await extractTarGz(downloaded, wanted) : await extractZip(downloaded, wanted);
  const absent = [...wanted.keys()].filter((member) => !found.has(member));
  if (absent.length > 0) throw new UserError(`${url}: the archive has no ${absent.join(', ')}`);
  await rm(downloaded, { force: true });
  return staged;
}
