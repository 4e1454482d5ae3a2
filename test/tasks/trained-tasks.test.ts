import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PTB_DIR, PTB_FILES } from '../../src/data/word-corpus.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { openImageEvaluator } from '../../src/tasks/image-evaluator.js';
import type { ImagePresets } from '../../src/tasks/image-tasks.js';
import { getTask } from '../../src/tasks/index.js';
import { openTextEvaluator } from '../../src/tasks/text-evaluator.js';
import type { TextPresets } from '../../src/tasks/text-tasks.js';
import { gzip, idxFile, tempDir, writeFile } from '../data/fixtures.js';
import { writeFashionFixture } from '../helpers/fashion-fixture.js';

/** The fixtures are not the published files: opening them needs the user's say-so, as on the command line. */
const OPEN = { backend: 'wasm', fetch: false, allowUnverifiedData: true } as const;

const fashionFixture = writeFashionFixture;

const SGD = { lr: 0.05, lrMin: 0, momentum: 0.9, weightDecay: 1e-4, gradClip: 5 };
const NO_AUG = { padCrop: 0, flip: false, cutout: 0 };
const IMAGE_PRESETS: ImagePresets = {
  mini: {
    search: { filters: 4, cellsPerStage: 1, trainImages: 96, validImages: 32, train: { ...SGD, epochs: 2, batchSize: 16, augment: NO_AUG } },
    final: { filters: 4, cellsPerStage: 1, trainImages: 128, validImages: 0, train: { ...SGD, epochs: 2, batchSize: 16, augment: NO_AUG } },
  },
};

describe('trained tasks', () => {
  it('image: loads the files, trains cnn-micro children, and reports validation accuracy and test error', async () => {
    const dir = resolveDataDir(fashionFixture(128, 48), {});
    const evaluator = await openImageEvaluator(getTask('fashion-mnist'), 'fashion-mnist', IMAGE_PRESETS, dir, { ...OPEN, preset: 'mini' });
    expect(evaluator.record).toMatchObject({ name: 'fashion-mnist', kind: 'image', space: 'cnn-micro', preset: 'mini', child: { B: 5, N: 1, F: 4, ops: 5 }, engine: { backend: 'wasm' } });
    expect(evaluator.record.settings).toMatchObject({ preset: 'mini', search: { B: 5, N: 1, F: 4, ops: 5 }, engine: { backend: 'wasm' } });
    const arch = cnnMicroSpace.parse(getTask('fashion-mnist').reference!);
    let steps = 0;
    const search = await evaluator.evaluate(arch, { seed: 1, onProgress: () => steps++ });
    expect(search).toMatchObject({ status: 'ok', fidelity: 2, device: { kind: 'cpu', backend: 'wasm' } });
    expect(steps).toBe(12);
    expect(search.metrics.valid_acc).toBeGreaterThanOrEqual(0);
    expect(search.params).toBeGreaterThan(1000);
    expect(search.deviceSeconds).toBeGreaterThan(0);
    const final = await evaluator.finalEvaluate(arch, { seed: 1 });
    expect(final.metrics.test_error).toBeCloseTo(100 - final.metrics.test_acc!, 10);
    expect(final.metrics.test_acc).toBeGreaterThan(80);
  }, 180_000);

  it('image: an unknown preset is the user’s error', async () => {
    const dir = resolveDataDir(fashionFixture(8, 8), {});
    await expect(openImageEvaluator(getTask('fashion-mnist'), 'fashion-mnist', IMAGE_PRESETS, dir, { ...OPEN, preset: 'huge' })).rejects.toThrow(
      '--preset huge: task fashion-mnist has presets mini',
    );
  });

  it('text: loads the corpus, trains rnn-cell LMs, and reports perplexities', async () => {
    const root = tempDir('nasbench-ptb-');
    const line = (n: number) => Array.from({ length: 12 }, (_, i) => `w${(n + i) % 7}`).join(' ');
    for (const [split, lines] of [['train', 300], ['valid', 30], ['test', 30]] as const) {
      writeFile(join(root, PTB_DIR, PTB_FILES[split]), Array.from({ length: lines }, (_, n) => ` ${line(n)} \n`).join(''));
    }
    const LM = { lr: 1, lrMin: 0.1, momentum: 0.9, weightDecay: 0, gradClip: 0.5, batchSize: 8, bptt: 10, evalBatchSize: 4 };
    const presets: TextPresets = {
      mini: {
        search: { hidden: 16, dropout: 0, trainTokens: 2000, validTokens: 200, train: { ...LM, epochs: 2 } },
        final: { hidden: 16, dropout: 0, trainTokens: 0, validTokens: 0, train: { ...LM, epochs: 2 } },
      },
    };
    const evaluator = await openTextEvaluator(getTask('ptb'), 'ptb', presets, resolveDataDir(root, {}), { ...OPEN, preset: 'mini' });
    const arch = rnnCellSpace.parse(getTask('ptb').reference!);
    const search = await evaluator.evaluate(arch, { seed: 3 });
    expect(search.status).toBe('ok');
    expect(Object.keys(search.metrics).sort()).toEqual(['train_ppl', 'valid_ppl']);
    const final = await evaluator.finalEvaluate(arch, { seed: 3 });
    expect(Object.keys(final.metrics).sort()).toEqual(['test_ppl', 'train_ppl', 'valid_ppl']);
    // 8 words (7 + <eos>) in a fixed cycle: a trained model is far better than uniform (ppl 8).
    expect(final.metrics.test_ppl).toBeLessThan(3);
  }, 180_000);

  it('text: a split too small to measure is refused when the task opens, naming the file and what was needed', async () => {
    const root = tempDir('nasbench-ptb-');
    const words = ' w0 w1 w2 w3 \n'.repeat(100);
    writeFile(join(root, PTB_DIR, PTB_FILES.train), words);
    writeFile(join(root, PTB_DIR, PTB_FILES.valid), '');
    writeFile(join(root, PTB_DIR, PTB_FILES.test), ' w1 w2 \n');
    const LM = { lr: 1, lrMin: 0.1, momentum: 0, weightDecay: 0, gradClip: 0.5, batchSize: 8, bptt: 10, evalBatchSize: 4, epochs: 1 };
    const setting = { hidden: 8, dropout: 0, trainTokens: 0, validTokens: 0, train: LM };
    const presets: TextPresets = { mini: { search: setting, final: setting } };
    const open = () => openTextEvaluator(getTask('ptb'), 'ptb', presets, resolveDataDir(root, {}), { ...OPEN, preset: 'mini' });
    await expect(open()).rejects.toThrow(
      `${join(root, PTB_DIR, PTB_FILES.valid)}: the validation split has 0 tokens; preset mini measures it in 4 parallel streams, which needs at least 8`,
    );
    writeFile(join(root, PTB_DIR, PTB_FILES.valid), words);
    await expect(open()).rejects.toThrow(
      `${join(root, PTB_DIR, PTB_FILES.test)}: the test split has 3 tokens; preset mini measures it in 4 parallel streams, which needs at least 8`,
    );
  });

  it('image: a split too small to train or measure is refused when the task opens', async () => {
    const open = (train: number, test: number) =>
      openImageEvaluator(getTask('fashion-mnist'), 'fashion-mnist', IMAGE_PRESETS, resolveDataDir(fashionFixture(train, test), {}), { ...OPEN, preset: 'mini' });
    await expect(open(128, 0)).rejects.toThrow(/fashion-mnist: the test split has 0 images; preset mini measures test error on it, which needs at least 1$/);
    await expect(open(100, 8)).rejects.toThrow(
      /fashion-mnist: the training split has 100 images; preset mini trains on 128 of them \(final\), which needs at least 128$/,
    );
  });

  it('refuses data that differs from its known checksums unless allowed, and records what was allowed', async () => {
    const root = tempDir('nasbench-ptb-');
    const text = ' w0 w1 w2 w3 \n'.repeat(100);
    writeFile(join(root, PTB_DIR, PTB_FILES.train), text);
    writeFile(join(root, PTB_DIR, PTB_FILES.valid), text);
    writeFile(join(root, PTB_DIR, PTB_FILES.test), text);
    const LM = { lr: 1, lrMin: 0.1, momentum: 0, weightDecay: 0, gradClip: 0.5, batchSize: 8, bptt: 10, evalBatchSize: 4, epochs: 1 };
    const setting = { hidden: 8, dropout: 0, trainTokens: 0, validTokens: 0, train: LM };
    const presets: TextPresets = { mini: { search: setting, final: setting } };
    const open = (allowUnverifiedData: boolean) =>
      openTextEvaluator(getTask('ptb'), 'ptb', presets, resolveDataDir(root, {}), { ...OPEN, preset: 'mini', allowUnverifiedData });
    await expect(open(false)).rejects.toThrow(new RegExp(`^${join(root, PTB_DIR, PTB_FILES.train)}: sha256 [0-9a-f]{64} differs from the expected .*--allow-unverified-data`));
    const evaluator = await open(true);
    expect(evaluator.record.settings.unverifiedData).toEqual([
      expect.stringMatching(/ptb\.train\.txt: sha256 .* differs/),
      expect.stringMatching(/ptb\.valid\.txt: sha256 .* differs/),
      expect.stringMatching(/ptb\.test\.txt: sha256 .* differs/),
    ]);
  });

  it('refuses IDX images declared 784×1 (not the published Fashion-MNIST), and opens them when allowed', async () => {
    const root = tempDir('nasbench-fm-');
    const count = 160;
    const pixels = new Uint8Array(count * 784).map((_, i) => i % 251);
    const labels = new Uint8Array(count).map((_, i) => i % 10);
    writeFile(join(root, 'fashion-mnist', 'train-images-idx3-ubyte.gz'), gzip(idxFile(0x803, [count, 784, 1], pixels)));
    writeFile(join(root, 'fashion-mnist', 'train-labels-idx1-ubyte.gz'), gzip(idxFile(0x801, [count], labels)));
    writeFile(join(root, 'fashion-mnist', 't10k-images-idx3-ubyte.gz'), gzip(idxFile(0x803, [count, 784, 1], pixels)));
    writeFile(join(root, 'fashion-mnist', 't10k-labels-idx1-ubyte.gz'), gzip(idxFile(0x801, [count], labels)));
    const open = (allowUnverifiedData: boolean) =>
      openImageEvaluator(getTask('fashion-mnist'), 'fashion-mnist', IMAGE_PRESETS, resolveDataDir(root, {}), { ...OPEN, preset: 'mini', allowUnverifiedData });
    await expect(open(false)).rejects.toThrow(/train-images-idx3-ubyte\.gz: sha256 after gunzip [0-9a-f]{64} differs from the expected c59f468a/);
    expect((await open(true)).record.settings.unverifiedData).toHaveLength(4);
  });
});
