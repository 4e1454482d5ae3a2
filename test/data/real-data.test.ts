import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DEBIAN_DIR, fashionMnist, ptb, verifyDataset, wikitext2, type TextCorpus } from '../../src/data/index.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { tempDir } from './fixtures.js';

const real = process.env.NASBENCH_DATA_DIR;
const haveText = real !== undefined && existsSync(join(real, 'ptb', 'ptb.train.txt')) && existsSync(join(real, 'wikitext-2', 'train.txt'));
const haveDebian = existsSync(join(FASHION_MNIST_DEBIAN_DIR, 'train-images-idx3-ubyte.gz'));

function expectIdsInVocab(corpus: TextCorpus): void {
  for (const split of [corpus.train, corpus.valid, corpus.test]) {
    let max = -1;
    for (const id of split) max = Math.max(max, id);
    expect(max).toBeLessThan(corpus.vocab.length);
  }
}

describe.skipIf(!haveText)('real PTB and WikiText-2 (NASBENCH_DATA_DIR)', () => {
  const dir = resolveDataDir(undefined);

  it('PTB: 929,589 / 73,760 / 82,430 tokens with <eos>, vocabulary 10,000', async () => {
    const c = ptb.load(dir);
    expect([c.train.length, c.valid.length, c.test.length]).toEqual([929_589, 73_760, 82_430]);
    expect(c.vocab).toHaveLength(10_000);
    expect(c.vocab.slice(0, 3)).toEqual(['aer', 'banknote', 'berlitz']);
    expect(c.vocab).toContain('<unk>');
    expectIdsInVocab(c);
    expect((await verifyDataset(ptb, dir)).ok).toBe(true);
  });

  it('WikiText-2: 2,088,628 / 217,646 / 245,569 tokens with <eos>, vocabulary 33,278', async () => {
    const c = wikitext2.load(dir);
    expect([c.train.length, c.valid.length, c.test.length]).toEqual([2_088_628, 217_646, 245_569]);
    expect(c.vocab).toHaveLength(33_278);
    expect(c.vocab.slice(0, 4)).toEqual(['<eos>', '=', 'Valkyria', 'Chronicles']);
    expect(c.vocab).toContain('\ufeff');
    expectIdsInVocab(c);
    expect((await verifyDataset(wikitext2, dir)).ok).toBe(true);
  });
});
if (!haveText) console.warn('skipped the real PTB and WikiText-2 tests: set NASBENCH_DATA_DIR to a data directory holding ptb/ and wikitext-2/');

describe.skipIf(!haveDebian)(`real Fashion-MNIST from Debian's package (${FASHION_MNIST_DEBIAN_DIR})`, () => {
  it('is found there when the data directory has no copy, and decodes 60,000 / 10,000 images of 28×28', async () => {
    const dir = resolveDataDir(tempDir(), {});
    expect(fashionMnist.status(dir)).toMatchObject({ present: true, dir: FASHION_MNIST_DEBIAN_DIR, foundIn: 'system' });
    const data = fashionMnist.load(dir);
    expect(data.train).toMatchObject({ count: 60_000, height: 28, width: 28, channels: 1 });
    expect(data.test).toMatchObject({ count: 10_000, height: 28, width: 28, channels: 1 });
    expect(data.train.images).toHaveLength(60_000 * 784);
    const perClass = new Array<number>(10).fill(0);
    for (const label of data.train.labels) perClass[label]! += 1;
    expect(perClass).toEqual(new Array(10).fill(6_000));
    const verification = await verifyDataset(fashionMnist, dir);
    expect(verification.files.map((f) => [f.checked, f.ok])).toEqual(new Array(4).fill(['sha256 after gunzip', true]));
  });
});
if (!haveDebian) console.warn(`skipped the real Fashion-MNIST test: install Debian's dataset-fashion-mnist package (${FASHION_MNIST_DEBIAN_DIR})`);
