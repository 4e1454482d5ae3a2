import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cifar10,
  cifar100,
  defineDataset,
  ensureDataset,
  fetchDataset,
  verifyDataset,
  type Dataset,
  type DownloadProgress,
  type TextCorpus,
} from '../../src/data/index.js';
import { loadWordCorpus } from '../../src/data/word-corpus.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { cifarRecords, filesUnder, serveFiles, tarGz, tempDir, writeFile, zip, type FileServer } from './fixtures.js';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const md5 = (data: string | Uint8Array) => createHash('md5').update(data).digest('hex');
const dataDir = () => resolveDataDir(tempDir(), {});

const TRAIN = 'the cat sat\nthe dog\n';
const VALID = 'the cat\n';
const TEST = 'dog sat\n';

function toy(base: string, overrides: Partial<Parameters<typeof defineDataset<TextCorpus>>[0]> = {}): Dataset<TextCorpus> {
  return defineDataset<TextCorpus>({
    name: 'toy',
    title: 'Toy corpus',
    summary: 'three lines',
    kind: 'text',
    dir: 'toy',
    files: [
      { name: 'train.txt', sha256: sha256(TRAIN) },
      { name: 'valid.txt', sha256: sha256(VALID) },
      { name: 'test.txt', sha256: sha256(TEST) },
    ],
    downloads: ['train.txt', 'valid.txt', 'test.txt'].map((file) => ({ kind: 'file' as const, url: `${base}/files/${file}`, file })),
    read: (dir) => loadWordCorpus('toy', { train: join(dir, 'train.txt'), valid: join(dir, 'valid.txt'), test: join(dir, 'test.txt') }),
    ...overrides,
  });
}

/** The CIFAR tarballs' layout with a few records per file. */
const cifar10Files = Object.fromEntries(
  ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin', 'test_batch.bin'].map((f, i) => [
    `cifar-10-batches-bin/${f}`,
    cifarRecords([[i], [9 - i]], 2 * i),
  ]),
);
const cifar10Archive = tarGz({ 'cifar-10-batches-bin/': '', 'cifar-10-batches-bin/batches.meta.txt': 'airplane\n', ...cifar10Files });
const cifar100Archive = tarGz({
  'cifar-100-binary/train.bin': cifarRecords([[1, 11], [2, 22], [3, 33]]),
  'cifar-100-binary/test.bin': cifarRecords([[4, 44]]),
});

let server: FileServer;
beforeAll(async () => {
  server = await serveFiles({
    '/kriz/cifar-10-binary.tar.gz': cifar10Archive,
    '/kriz/cifar-100-binary.tar.gz': cifar100Archive,
    '/files/train.txt': Buffer.from(TRAIN),
    '/files/valid.txt': Buffer.from(VALID),
    '/files/test.txt': Buffer.from(TEST),
    '/files/toy.tar.gz': tarGz({ 'toy-archive/train.txt': TRAIN, 'toy-archive/valid.txt': VALID, 'toy-archive/test.txt': TEST, 'toy-archive/README': 'x' }),
    '/files/toy-v1.zip': zip({ 'toy/wiki.train.tokens': TRAIN, 'toy/wiki.valid.tokens': VALID, 'toy/wiki.test.tokens': TEST }),
  });
});
afterAll(() => server.close());

describe('fetching data sets', () => {
  it('downloads the missing files, checks them, reports progress, and then loads', async () => {
    const dir = dataDir();
    const events: DownloadProgress[] = [];
    const location = await fetchDataset(toy(server.url), dir, { onProgress: (p) => events.push(p) });
    expect(location).toEqual({ name: 'toy', dir: join(dir.path, 'toy'), foundIn: 'data-dir', fetched: ['toy/train.txt', 'toy/valid.txt', 'toy/test.txt'] });
    expect(filesUnder(dir.path)).toEqual(['toy/test.txt', 'toy/train.txt', 'toy/valid.txt']);
    expect(readFileSync(join(dir.path, 'toy', 'train.txt'), 'utf8')).toBe(TRAIN);
    expect(events.filter((e) => e.done).map((e) => [e.url, e.received, e.total])).toEqual([
      [`${server.url}/files/train.txt`, TRAIN.length, TRAIN.length],
      [`${server.url}/files/valid.txt`, VALID.length, VALID.length],
      [`${server.url}/files/test.txt`, TEST.length, TEST.length],
    ]);
    expect(toy(server.url).load(dir).vocab).toEqual(['the', 'cat', 'sat', '<eos>', 'dog']);
    const asked = server.requests.length;
    expect((await ensureDataset(toy(server.url), dir, { fetch: true })).fetched).toEqual([]);
    expect(server.requests.length).toBe(asked);
  });

  it('fetches only what is missing', async () => {
    const dir = dataDir();
    writeFile(join(dir.path, 'toy', 'train.txt'), TRAIN);
    const location = await fetchDataset(toy(server.url), dir);
    expect(location.fetched).toEqual(['toy/valid.txt', 'toy/test.txt']);
  });

  it('fails fast and clearly when a URL cannot be reached, leaving no file behind', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const dir = dataDir();
    const started = Date.now();
    await expect(fetchDataset(toy(`http://127.0.0.1:${port}`), dir)).rejects.toThrow(
      `cannot download http://127.0.0.1:${port}/files/train.txt: connection refused (ECONNREFUSED). ` +
        `To provide Toy corpus by hand, put toy/train.txt, toy/valid.txt, toy/test.txt under ${dir.path} (from --data-dir), ` +
        `or point --data-dir or NASBENCH_DATA_DIR at a directory that has them.`,
    );
    await expect(fetchDataset(toy('http://127.0.0.1:9'), dir)).rejects.toThrow(
      'cannot download http://127.0.0.1:9/files/train.txt: fetch refuses to connect to this port (bad port). To provide Toy corpus by hand',
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(filesUnder(dir.path)).toEqual([]);
  });

  it('gives up on a server that never answers', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    const dir = dataDir();
    try {
      await expect(fetchDataset(toy(url), dir, { stallMs: 300 })).rejects.toThrow(`cannot download ${url}/files/train.txt: no answer within 0.3 s. To provide Toy corpus by hand`);
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
    expect(filesUnder(dir.path)).toEqual([]);
  });

  it('reports an HTTP error with its status', async () => {
    const dir = dataDir();
    const missing = toy(server.url, { downloads: [{ kind: 'file', url: `${server.url}/files/nope.txt`, file: 'train.txt' }] });
    await expect(fetchDataset(missing, dir)).rejects.toThrow(`cannot download ${server.url}/files/nope.txt: HTTP 404 Not Found. To provide Toy corpus by hand`);
    expect(filesUnder(dir.path)).toEqual([]);
  });

  it('rejects a download whose checksum is wrong and leaves nothing behind', async () => {
    const dir = dataDir();
    const wrongFile = toy(server.url, { files: [{ name: 'train.txt', sha256: sha256('something else') }] });
    await expect(fetchDataset(wrongFile, dir)).rejects.toThrow(
      `${server.url}/files/train.txt: toy/train.txt: sha256 ${sha256(TRAIN)} differs from the expected ${sha256('something else')}; nothing was saved. To provide Toy corpus by hand, put toy/train.txt under`,
    );
    expect(filesUnder(dir.path)).toEqual([]);
    const wrongPublished = toy(server.url, {
      files: [{ name: 'train.txt' }],
      downloads: [{ kind: 'file', url: `${server.url}/files/train.txt`, md5: md5('other'), file: 'train.txt' }],
    });
    await expect(fetchDataset(wrongPublished, dir)).rejects.toThrow(
      `${server.url}/files/train.txt: the download's md5 ${md5(TRAIN)} differs from the published ${md5('other')}; nothing was saved.`,
    );
    expect(filesUnder(dir.path)).toEqual([]);
  });

  it('unpacks the wanted members of a .tar.gz, checked against the published md5, and keeps no archive', async () => {
    const dir = dataDir();
    const body = tarGz({ 'toy-archive/train.txt': TRAIN, 'toy-archive/valid.txt': VALID, 'toy-archive/test.txt': TEST, 'toy-archive/README': 'x' });
    const packed = toy(server.url, {
      downloads: [
        {
          kind: 'tar.gz',
          url: `${server.url}/files/toy.tar.gz`,
          md5: md5(body),
          members: { 'train.txt': 'toy-archive/train.txt', 'valid.txt': 'toy-archive/valid.txt', 'test.txt': 'toy-archive/test.txt' },
        },
      ],
    });
    const location = await fetchDataset(packed, dir);
    expect(location.fetched).toEqual(['toy/train.txt', 'toy/valid.txt', 'toy/test.txt']);
    expect(filesUnder(dir.path)).toEqual(['toy/test.txt', 'toy/train.txt', 'toy/valid.txt']);
    expect(readFileSync(join(dir.path, 'toy', 'valid.txt'), 'utf8')).toBe(VALID);

    const other = dataDir();
    const absent = toy(server.url, { downloads: [{ kind: 'tar.gz', url: `${server.url}/files/toy.tar.gz`, members: { 'train.txt': 'toy-archive/nope.txt' } }] });
    await expect(fetchDataset(absent, other)).rejects.toThrow(`${server.url}/files/toy.tar.gz: the archive has no toy-archive/nope.txt`);
    expect(filesUnder(other.path)).toEqual([]);
  });

  it('unpacks and renames the members of a zip (the WikiText-2 layout), fetching from a mirror by file name', async () => {
    const dir = dataDir();
    const zipped = toy('https://example.invalid/upstream', {
      downloads: [
        {
          kind: 'zip',
          url: 'https://example.invalid/upstream/toy-v1.zip',
          members: { 'train.txt': 'toy/wiki.train.tokens', 'valid.txt': 'toy/wiki.valid.tokens', 'test.txt': 'toy/wiki.test.tokens' },
        },
      ],
    });
    const location = await fetchDataset(zipped, dir, { mirror: `${server.url}/files/` });
    expect(location.fetched).toEqual(['toy/train.txt', 'toy/valid.txt', 'toy/test.txt']);
    expect(readFileSync(join(dir.path, 'toy', 'test.txt'), 'utf8')).toBe(TEST);
    expect(filesUnder(dir.path)).toEqual(['toy/test.txt', 'toy/train.txt', 'toy/valid.txt']);
  });

  it.each([
    ['cifar10', cifar10, cifar10Archive, 2 * 3073, 10, 2, [0, 9, 1, 8, 2, 7, 3, 6, 4, 5]],
    ['cifar100', cifar100, cifar100Archive, 3074, 3, 1, [11, 22, 33]],
  ] as const)('fetches %s from its tarball layout and loads it', async (_, spec, archive, testBytes, trainCount, testCount, labels) => {
    const small = defineDataset({
      ...spec,
      files: spec.files.map((f) => ({ name: f.name, bytes: f.name.startsWith('test') ? testBytes : undefined })),
      downloads: spec.downloads.map((d) => ({ ...d, md5: md5(archive) })),
    });
    const dir = dataDir();
    const location = await fetchDataset(small, dir, { mirror: `${server.url}/kriz` });
    expect(location.fetched).toEqual(spec.files.map((f) => `${spec.dir}/${f.name}`));
    expect(filesUnder(dir.path)).toEqual(spec.files.map((f) => `${spec.dir}/${f.name}`).sort());
    const data = small.load(dir);
    expect(data.train.count).toBe(trainCount);
    expect(data.test.count).toBe(testCount);
    expect([...data.train.labels]).toEqual(labels);
  });

  it('without fetching, says what is missing and how to provide it', async () => {
    const dir = dataDir();
    await expect(ensureDataset('ptb', dir, { fetch: false })).rejects.toThrow(
      `Penn Treebank is not in the data directory ${dir.path} (from --data-dir): missing ptb/ptb.train.txt, ptb/ptb.valid.txt, ptb/ptb.test.txt. ` +
        `Run 'nasbench data fetch ptb' to download it. To provide Penn Treebank by hand, put ptb/ptb.train.txt, ptb/ptb.valid.txt, ptb/ptb.test.txt under ${dir.path} (from --data-dir), ` +
        `or point --data-dir or NASBENCH_DATA_DIR at a directory that has them.`,
    );
    expect(() => toy(server.url).load(dir)).toThrow(`Toy corpus is not in the data directory ${dir.path} (from --data-dir): missing toy/train.txt, toy/valid.txt, toy/test.txt.`);
    await expect(ensureDataset('mnist', dir, { fetch: false })).rejects.toThrow(
      "unknown data set 'mnist': expected one of fashion-mnist, cifar10, cifar100, ptb, wikitext2, nas-bench-201 (see 'nasbench data list')",
    );
  });

  it('uses a complete copy in a system directory when the data directory has none, and says where', async () => {
    const system = tempDir();
    writeFile(join(system, 'train.txt'), TRAIN);
    writeFile(join(system, 'valid.txt'), VALID);
    writeFile(join(system, 'test.txt'), TEST);
    const dir = dataDir();
    writeFile(join(dir.path, 'toy', 'train.txt'), TRAIN);
    const installed = toy('http://127.0.0.1:9', { systemDirs: [system], systemHint: 'install the toy package' });
    expect(installed.status(dir)).toEqual({ present: true, dir: system, foundIn: 'system', missing: ['toy/valid.txt', 'toy/test.txt'] });
    expect(await ensureDataset(installed, dir, { fetch: true })).toEqual({ name: 'toy', dir: system, foundIn: 'system', fetched: [] });
    expect(installed.load(dir).train).toHaveLength(7);
    const elsewhere = toy('http://127.0.0.1:9', { systemDirs: [tempDir()], systemHint: 'install the toy package' });
    await expect(ensureDataset(elsewhere, dir, { fetch: false })).rejects.toThrow(
      'or point --data-dir or NASBENCH_DATA_DIR at a directory that has them, or install the toy package.',
    );
  });

  it('verifies checksums and names the file that differs', async () => {
    const dir = dataDir();
    await fetchDataset(toy(server.url), dir);
    expect((await verifyDataset(toy(server.url), dir)).ok).toBe(true);
    writeFileSync(join(dir.path, 'toy', 'valid.txt'), 'the dog\n');
    const result = await verifyDataset(toy(server.url), dir);
    expect(result.ok).toBe(false);
    expect(result.files.map((f) => [f.file, f.ok])).toEqual([
      ['toy/train.txt', true],
      ['toy/valid.txt', false],
      ['toy/test.txt', true],
    ]);
    expect(result.files[1]!.message).toBe(`${join(dir.path, 'toy', 'valid.txt')}: sha256 ${sha256('the dog\n')} differs from the expected ${sha256(VALID)}`);
  });
});
