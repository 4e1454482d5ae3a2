import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineDataset, importDataset, type TableFiles } from '../../src/data/index.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { FINAL_URL } from '../../src/data/nas-bench-201.js';
import { nasbench } from '../../support/cli.js';
import { filesUnder, nasbenchAsync, serveFiles, tempDir, writeFile, type FileServer } from './fixtures.js';

const MINIBENCH_SHA256 = 'eed76ed30dffcd98094471897bc93f909a196bdbc1fbc8bba11d661c1e4468d5';
const FINAL_SHA256 = 'cb5d777ec3368be83c8f9b3aa4d520696051cb0eb8d94b8f85b519f9ea4afa3e';
const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');

function expectOneLineError(r: { status: number | null; stderr: string }): string {
  expect(r.status).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('nasbench data: NAS-Bench-201 tables', () => {
  it('data list names both tables with their sha256, the pinned download and where the 12-epoch table comes from', () => {
    const dir = tempDir();
    const r = nasbench(['data', 'list', '--json', '--data-dir', dir]);
    expect(r.status).toBe(0);
    const nb201 = JSON.parse(r.stdout).datasets.find((d: { name: string }) => d.name === 'nas-bench-201');
    expect(nb201).toMatchObject({ kind: 'table', present: false, missing: ['nas-bench-201/nb201_minibench_accs.jsonl', 'nas-bench-201/nats_bench.csv'] });
    expect(nb201.files[0]).toMatchObject({ path: 'nas-bench-201/nb201_minibench_accs.jsonl', sha256: MINIBENCH_SHA256, bytes: 4_939_954 });
    expect(nb201.files[0].source).toMatch(/NATS-Bench/);
    expect(nb201.files[1]).toMatchObject({ path: 'nas-bench-201/nats_bench.csv', sha256: FINAL_SHA256, bytes: 3_024_008 });
    expect(nb201.downloads).toEqual([
      { kind: 'file', url: 'https://raw.githubusercontent.com/v-tao/nats-bench-landscape/312680307c44fd111146b2be0d0148194fbb2ca8/nats_bench.csv', sha256: FINAL_SHA256 },
    ]);
    const text = nasbench(['data', 'list', '--data-dir', dir]).stdout;
    expect(text).toMatch(/nas-bench-201 +│ missing 2 of 2 files +│ raw\.githubusercontent\.com, import \(see below\)/);
    expect(text).toContain("nas-bench-201: nb201_minibench_accs.jsonl: 12-epoch validation accuracy");
  });

  it('fetch says in one line where the 12-epoch table comes from and how to import it, when no download provides it', () => {
    const dir = tempDir();
    writeFile(join(dir, 'nas-bench-201', 'nats_bench.csv'), 'present\n');
    const line = expectOneLineError(nasbench(['data', 'fetch', 'nas-bench-201', '--data-dir', dir, '--mirror', 'http://127.0.0.1:9']));
    expect(line).toBe(
      "Error: NAS-Bench-201 tables: nas-bench-201/nb201_minibench_accs.jsonl (NAS-Bench-201's 12-epoch training runs (NATS-Bench topology space, hp=12, https://github.com/D-X-Y/NATS-Bench); " +
        `the release it was converted from is not recorded and no pinned public download is known, sha256 ${MINIBENCH_SHA256}) cannot be downloaded: ` +
        "get a copy and run 'nasbench data import nas-bench-201 <file or directory>'",
    );
    expect(filesUnder(dir)).toEqual(['nas-bench-201/nats_bench.csv']);
  });

  describe('from a mirror', () => {
    let server: FileServer;
    beforeAll(async () => {
      server = await serveFiles({ '/nats_bench.csv': Buffer.from('CIFAR10TestAccuracy200Epochs\n1\n') });
    });
    afterAll(() => server.close());

    it('fetch refuses a 200-epoch table whose sha256 differs from the pinned one and keeps nothing', async () => {
      const dir = tempDir();
      const r = await nasbenchAsync(['data', 'fetch', 'nas-bench-201', '--data-dir', dir, '--mirror', server.url]);
      const line = expectOneLineError(r);
      expect(line).toContain(`${server.url}/nats_bench.csv: the download's sha256 ${sha256('CIFAR10TestAccuracy200Epochs\n1\n')} differs from the published ${FINAL_SHA256}; nothing was saved.`);
      expect(server.requests).toEqual(['/nats_bench.csv']);
      expect(filesUnder(dir)).toEqual([]);
    });
  });

  it('import refuses a file whose sha256 differs, in one line, and writes nothing', () => {
    const dir = tempDir();
    const source = writeFile(join(tempDir(), 'nb201_minibench_accs.jsonl'), '{"index": 0}\n');
    const line = expectOneLineError(nasbench(['data', 'import', 'nas-bench-201', source, '--data-dir', dir]));
    expect(line).toBe(`Error: ${source}: sha256 ${sha256('{"index": 0}\n')} differs from the expected ${MINIBENCH_SHA256}; nothing was imported`);
    expect(filesUnder(dir)).toEqual([]);
    const unrelated = writeFile(join(tempDir(), 'notes.txt'), 'x');
    expect(expectOneLineError(nasbench(['data', 'import', 'nas-bench-201', unrelated, '--data-dir', dir]))).toMatch(
      /notes\.txt: holds none of NAS-Bench-201 tables's files \(expected nb201_minibench_accs\.jsonl, nats_bench\.csv, or a directory holding them\)$/,
    );
    expect(expectOneLineError(nasbench(['data', 'import', 'nas-bench-201', join(dir, 'nope'), '--data-dir', dir]))).toMatch(/nope: no such file or directory/);
  });
});

describe('importDataset', () => {
  const A = 'alpha\n';
  const B = 'beta\n';
  const toy = defineDataset<TableFiles>({
    name: 'toy',
    title: 'Toy tables',
    summary: 'two files',
    kind: 'table',
    dir: 'toy',
    files: [
      { name: 'a.txt', sha256: sha256(A), source: 'by hand' },
      { name: 'b.txt', sha256: sha256(B) },
    ],
    downloads: [],
    read: (dir) => ({ name: 'toy', dir }),
  });

  it('copies a single file in after checking it, and says what is still missing', async () => {
    const dataDir = resolveDataDir(tempDir(), {});
    const result = await importDataset(toy, writeFile(join(tempDir(), 'a.txt'), A), dataDir);
    expect(result).toEqual({ name: 'toy', dir: join(dataDir.path, 'toy'), imported: ['toy/a.txt'], missing: ['toy/b.txt'] });
    expect(readFileSync(join(dataDir.path, 'toy', 'a.txt'), 'utf8')).toBe(A);
    expect(filesUnder(dataDir.path)).toEqual(['toy/a.txt']);
  });

  it('takes every file a directory holds, directly or in the data set folder, or none of them when one differs', async () => {
    const dataDir = resolveDataDir(tempDir(), {});
    const flat = tempDir();
    writeFile(join(flat, 'a.txt'), A);
    writeFile(join(flat, 'b.txt'), 'not beta\n');
    await expect(importDataset(toy, flat, dataDir)).rejects.toThrow(/b\.txt: sha256 [0-9a-f]{64} differs from the expected/);
    expect(filesUnder(dataDir.path)).toEqual([]);
    const nested = tempDir();
    writeFile(join(nested, 'toy', 'a.txt'), A);
    writeFile(join(nested, 'toy', 'b.txt'), B);
    const result = await importDataset(toy, nested, dataDir);
    expect(result.imported).toEqual(['toy/a.txt', 'toy/b.txt']);
    expect(result.missing).toEqual([]);
    expect(filesUnder(dataDir.path)).toEqual(['toy/a.txt', 'toy/b.txt']);
  });
});

const real = process.env.NASBENCH_DATA_DIR;
const haveReal = real !== undefined && existsSync(join(real, 'nas-bench-201', 'nats_bench.csv')) && existsSync(join(real, 'nas-bench-201', 'nb201_minibench_accs.jsonl'));

describe.skipIf(!haveReal)('the real NAS-Bench-201 tables (NASBENCH_DATA_DIR)', () => {
  let server: FileServer;
  beforeAll(async () => {
    server = await serveFiles({ '/nats_bench.csv': readFileSync(join(real as string, 'nas-bench-201', 'nats_bench.csv')) });
  });
  afterAll(() => server.close());

  it('fetch takes the pinned 200-epoch table, import the 12-epoch one, and verify passes on both', async () => {
    expect(FINAL_URL.endsWith('/nats_bench.csv')).toBe(true);
    const dir = tempDir();
    const fetched = await nasbenchAsync(['data', 'fetch', 'nas-bench-201', '--data-dir', dir, '--mirror', server.url]);
    expect(expectOneLineError(fetched)).toMatch(/^Error: NAS-Bench-201 tables: fetched nas-bench-201\/nats_bench\.csv; nas-bench-201\/nb201_minibench_accs\.jsonl .* cannot be downloaded/);
    expect(filesUnder(dir)).toEqual(['nas-bench-201/nats_bench.csv']);
    const imported = await nasbenchAsync(['data', 'import', 'nas-bench-201', join(real as string, 'nas-bench-201'), '--data-dir', dir]);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('all 2 files are now in');
    const verified = await nasbenchAsync(['data', 'verify', 'nas-bench-201', '--data-dir', dir]);
    expect(verified.status).toBe(0);
    expect(verified.stdout.match(/│ sha256 +│ ok/g)).toHaveLength(2);
  });
});
if (!haveReal) console.warn('skipped importing the real NAS-Bench-201 tables: set NASBENCH_DATA_DIR to a data directory holding nas-bench-201/');
