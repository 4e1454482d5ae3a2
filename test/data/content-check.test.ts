import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDatasetContent } from '../../src/data/content-check.js';
import { FASHION_MNIST_DEBIAN_DIR, defineDataset, fashionMnist, ptb, wikitext2, type TextCorpus } from '../../src/data/index.js';
import { loadWordCorpus } from '../../src/data/word-corpus.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { tempDir, writeFile } from './fixtures.js';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const TRAIN = 'the cat sat\nthe dog\n';

const toy = defineDataset<TextCorpus>({
  name: 'toy',
  title: 'Toy corpus',
  summary: 'two lines',
  kind: 'text',
  dir: 'toy',
  files: [{ name: 'train.txt', sha256: sha256(TRAIN) }, { name: 'sized.bin', bytes: 4 }],
  downloads: [],
  read: (dir) => loadWordCorpus('toy', { train: join(dir, 'train.txt'), valid: join(dir, 'train.txt'), test: join(dir, 'train.txt') }),
});

function toyDir(train = TRAIN): string {
  const root = tempDir();
  writeFile(join(root, 'toy', 'train.txt'), train);
  writeFile(join(root, 'toy', 'sized.bin'), 'abcd');
  return root;
}

/** A whole second, which every file system stores exactly. */
const WHEN = new Date('2026-01-02T03:04:05Z');

/** Rewrites a file with other bytes of the same length, keeping its modification time. */
function alterKeepingSizeAndTime(path: string, content: string): void {
  writeFileSync(path, content);
  utimesSync(path, WHEN, WHEN);
}

describe('checking a data set’s content when a task opens it', () => {
  it('verifies the checksums once: the second time a file with the same size and mtime is not read again (cache in the data directory)', async () => {
    const root = toyDir();
    utimesSync(join(root, 'toy', 'train.txt'), WHEN, WHEN);
    const dir = resolveDataDir(root, {});
    expect(await checkDatasetContent(toy, dir, { allowUnverified: false })).toEqual({ verified: true, unverified: [] });
    const cache = JSON.parse(readFileSync(join(root, '.nasbench-verified.json'), 'utf8'));
    expect(Object.keys(cache.files)).toEqual([join(root, 'toy', 'train.txt'), join(root, 'toy', 'sized.bin')]);
    // Same size and mtime, other bytes: the cached verification stands, so the file was not hashed again.
    alterKeepingSizeAndTime(join(root, 'toy', 'train.txt'), TRAIN.replace('cat', 'rat'));
    expect((await checkDatasetContent(toy, dir, { allowUnverified: false })).verified).toBe(true);
    // Another mtime: checked again, and refused.
    utimesSync(join(root, 'toy', 'train.txt'), new Date(), new Date(Date.now() + 5_000));
    await expect(checkDatasetContent(toy, dir, { allowUnverified: false })).rejects.toThrow(/train\.txt: sha256 [0-9a-f]{64} differs/);
  });

  it('refuses an altered file with one line saying how to go on; --allow-unverified-data lets it through and says which files differ', async () => {
    const root = toyDir(TRAIN.replace('dog', 'cow'));
    writeFile(join(root, 'toy', 'sized.bin'), 'abcde');
    const dir = resolveDataDir(root, {});
    const error = await checkDatasetContent(toy, dir, { allowUnverified: false }).catch((err: Error) => err);
    const message = String((error as Error).message);
    expect(message.split('\n')).toHaveLength(1);
    expect(message).toBe(
      `${join(root, 'toy', 'train.txt')}: sha256 ${sha256(TRAIN.replace('dog', 'cow'))} differs from the expected ${sha256(TRAIN)} (and 1 more file of Toy corpus differs): ` +
        `these are not the files nasbench knows; restore them (remove them and run 'nasbench data fetch toy', or 'nasbench data verify toy' to see every difference) ` +
        `or pass --allow-unverified-data to use them anyway (recorded with the run)`,
    );
    const allowed = await checkDatasetContent(toy, dir, { allowUnverified: true });
    expect(allowed.verified).toBe(false);
    expect(allowed.unverified).toEqual([
      `${join(root, 'toy', 'train.txt')}: sha256 ${sha256(TRAIN.replace('dog', 'cow'))} differs from the expected ${sha256(TRAIN)}`,
      `${join(root, 'toy', 'sized.bin')}: 5 bytes, expected 4`,
    ]);
    expect(existsSync(join(root, '.nasbench-verified.json'))).toBe(false);
  });

  it('works where the cache cannot be written: verified in memory, no error', async () => {
    const root = toyDir();
    mkdirSync(join(root, '.nasbench-verified.json'));
    const dir = resolveDataDir(root, {});
    expect(await checkDatasetContent(toy, dir, { allowUnverified: false })).toEqual({ verified: true, unverified: [] });
    expect(await checkDatasetContent(toy, dir, { allowUnverified: false })).toEqual({ verified: true, unverified: [] });
  });

  it('leaves a data directory without write bits as it is, even for root (CI’s read-only copy of the shared data)', async () => {
    const root = toyDir();
    chmodSync(root, 0o555);
    try {
      expect(await checkDatasetContent(toy, resolveDataDir(root, {}), { allowUnverified: false })).toEqual({ verified: true, unverified: [] });
      expect(readdirSync(root)).toEqual(['toy']);
    } finally {
      chmodSync(root, 0o755);
    }
  });

  it.each([
    ['a NUL byte', (text: string) => text.replace(' the ', ' th\0e ')],
    ['a byte-order mark', (text: string) => `\uFEFF${text}`],
  ])('Penn Treebank with %s is refused', async (_, alter) => {
    const root = tempDir();
    const line = ' the cat sat on the mat \n';
    for (const file of ['ptb.train.txt', 'ptb.valid.txt', 'ptb.test.txt']) writeFile(join(root, 'ptb', file), alter(line.repeat(50)));
    await expect(checkDatasetContent(ptb, resolveDataDir(root, {}), { allowUnverified: false })).rejects.toThrow(
      new RegExp(`^${join(root, 'ptb', 'ptb.train.txt')}: sha256 [0-9a-f]{64} differs from the expected ${ptb.files[0]!.sha256}`),
    );
  });

  const real = process.env.NASBENCH_DATA_DIR;
  const haveReal = real !== undefined && existsSync(join(real, 'ptb', 'ptb.train.txt'));
  it.skipIf(!haveReal)('the real PTB and WikiText-2 (NASBENCH_DATA_DIR, read-only in CI) match the registry, and Fashion-MNIST where Debian installs it', async () => {
    const dir = resolveDataDir(undefined);
    for (const dataset of [ptb, wikitext2]) expect(await checkDatasetContent(dataset, dir, { allowUnverified: false })).toEqual({ verified: true, unverified: [] });
    if (existsSync(FASHION_MNIST_DEBIAN_DIR)) {
      expect(await checkDatasetContent(fashionMnist, resolveDataDir(tempDir(), {}), { allowUnverified: false })).toEqual({ verified: true, unverified: [] });
    }
  });
  if (!haveReal) console.warn('skipped the real-data checksum test: set NASBENCH_DATA_DIR to the shared data directory');
});
