import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readDataFile } from '../data/read-file.js';
import { join, relative, sep } from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { nb201Space } from '../spaces/nb201.js';
import { describeDataDir, type DataDir } from '../data/data-dir.js';
import { readCsvTable } from './csv-table.js';

export const NB201_DATASETS = ['cifar10', 'cifar100', 'imagenet16'] as const;
export type Nb201Dataset = (typeof NB201_DATASETS)[number];

import { FINAL_FILE, MINIBENCH_FILE, NB201_DIR } from '../data/nas-bench-201.js';

export { FINAL_FILE, MINIBENCH_FILE, NB201_DIR };

const FINAL_COLUMNS: Record<Nb201Dataset, string> = {
  cifar10: 'CIFAR10TestAccuracy200Epochs',
  cifar100: 'CIFAR100TestAccuracy200Epochs',
  imagenet16: 'ImageNetTestAccuracy200Epochs',
};
const ARCH_COLUMN = 'ArchitectureString';

const MINIBENCH_KEYS: Record<Nb201Dataset, string> = {
  cifar10: 'cifar10-val',
  cifar100: 'cifar100-val',
  imagenet16: 'imagenet-val',
};

/** Accuracies (%) of one cell on one dataset. */
export interface Nb201Entry {
  readonly valid12: number;
  readonly test200: number;
}

export type Nb201Table = ReadonlyMap<string, Nb201Entry>;

export function nb201Files(dir: DataDir): string[] {
  return [join(dir.path, NB201_DIR, MINIBENCH_FILE), join(dir.path, NB201_DIR, FINAL_FILE)];
}

interface Loaded {
  readonly tables: Map<Nb201Dataset, Nb201Table>;
  /** sha256 of the two files as read, by path relative to the data directory. */
  readonly checksums: Readonly<Record<string, string>>;
}

const cache = new Map<string, Loaded>();

function load(dir: DataDir): Loaded {
  let loaded = cache.get(dir.path);
  if (!loaded) {
    const checksums: Record<string, string> = {};
    const tables = readTables(dir, (file, bytes) => (checksums[relative(dir.path, file).split(sep).join('/')] = createHash('sha256').update(bytes).digest('hex')));
    loaded = { tables, checksums };
    cache.set(dir.path, loaded);
  }
  return loaded;
}

/** Loads (once per process and data directory) the table for one dataset, validating every row. */
export function loadNb201Table(dir: DataDir, dataset: Nb201Dataset): Nb201Table {
  return load(dir).tables.get(dataset) as Nb201Table;
}

/** The sha256 of the table files, as they were read for `loadNb201Table`. */
export function nb201Checksums(dir: DataDir): Readonly<Record<string, string>> {
  return load(dir).checksums;
}

function readText(file: string, dir: DataDir, read: (file: string, bytes: Buffer) => void): string {
  if (!existsSync(file)) {
    throw new UserError(
      `NAS-Bench-201 table not found: ${file}; looked in the data directory ${describeDataDir(dir)}. ` +
        `Point --data-dir or NASBENCH_DATA_DIR at a directory holding ${NB201_DIR}/${MINIBENCH_FILE} and ${NB201_DIR}/${FINAL_FILE}, ` +
        `or run 'nasbench data fetch nas-bench-201' ('nasbench data list' says where each file comes from).`,
    );
  }
  const bytes = readDataFile(file);
  read(file, bytes);
  return bytes.toString('utf8');
}

function canonicalArch(text: unknown, where: string): string {
  if (typeof text !== 'string') throw new UserError(`${where}: expected an architecture string, got ${JSON.stringify(text)}`);
  try {
    return nb201Space.format(nb201Space.parse(text));
  } catch (err) {
    throw new UserError(`${where}: ${errorMessage(err)}`);
  }
}

function readTables(dir: DataDir, read: (file: string, bytes: Buffer) => void): Map<Nb201Dataset, Nb201Table> {
  const [minibenchPath, finalPath] = nb201Files(dir) as [string, string];
  const valid12 = new Map<string, number[]>();
  readText(minibenchPath, dir, read)
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const where = `${minibenchPath} line ${i + 1}`;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line);
      } catch {
        throw new UserError(`${where}: expected a JSON object, got ${JSON.stringify(line.slice(0, 80))}`);
      }
      const arch = canonicalArch(row?.arch_str, `${where} (arch_str)`);
      valid12.set(
        arch,
        NB201_DATASETS.map((d) => finiteAccuracy(row[MINIBENCH_KEYS[d]], `${where} (${MINIBENCH_KEYS[d]})`)),
      );
    });

  const tables = new Map<Nb201Dataset, Map<string, Nb201Entry>>(NB201_DATASETS.map((d) => [d, new Map()]));
  const columns = [...NB201_DATASETS.map((d) => FINAL_COLUMNS[d]), ARCH_COLUMN];
  readCsvTable(readText(finalPath, dir, read), finalPath, columns, (row) => {
    let arch: string;
    try {
      arch = nb201Space.format(nb201Space.parse(row.field(ARCH_COLUMN)));
    } catch (err) {
      throw row.error(errorMessage(err), ARCH_COLUMN);
    }
    const valid = valid12.get(arch);
    if (!valid) throw row.error(`cell ${arch} has no row in ${minibenchPath}`);
    NB201_DATASETS.forEach((d, k) => {
      const column = FINAL_COLUMNS[d];
      const test200 = accuracyField(row.field(column));
      if (typeof test200 === 'string') throw row.error(test200, column);
      tables.get(d)!.set(arch, { valid12: valid[k] as number, test200 });
    });
  });
  const size = tables.get('cifar10')!.size;
  if (size !== nb201Space.size || valid12.size !== nb201Space.size) {
    throw new UserError(
      `NAS-Bench-201 tables in ${join(dir.path, NB201_DIR)} are incomplete: expected ${nb201Space.size} cells, ` +
        `found ${valid12.size} in ${MINIBENCH_FILE} and ${size} in ${FINAL_FILE}`,
    );
  }
  return tables;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV accuracy field: a plain decimal number (not '', not hex, not padded) in [0, 100]; else what is wrong with it. */
function accuracyField(text: string): number | string {
  if (text === '') return 'empty field, expected an accuracy in [0, 100]';
  const value = Number(text);
  if (!DECIMAL.test(text) || value < 0 || value > 100) return `expected an accuracy in [0, 100], got ${JSON.stringify(text)}`;
  return value;
}

function finiteAccuracy(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
    throw new UserError(`${where}: expected an accuracy in [0, 100], got ${JSON.stringify(value)}`);
  }
  return value;
}
