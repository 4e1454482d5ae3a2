import { initEngine } from '../../src/engine/backend.js';
import * as tf from '../../src/engine/tf.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { CnnMicroNet, type CnnNetConfig } from '../../src/engine/cnn-net.js';
import { RnnLm, sparseCrossEntropy } from '../../src/engine/rnn-net.js';
import { Sgd, trainStep } from '../../src/engine/sgd.js';
import { trainImageClassifier } from '../../src/engine/train-image.js';
import { compareFormulations, compareWithCpu, freshSeed } from './grad-check.js';
import { batchify, trainLanguageModel } from '../../src/engine/train-lm.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import { halves } from './toy-data.js';

// The wasm backend with the training-kernel pack (checked against cpu in wasm-kernels.test.ts).
beforeAll(async () => {
  await initEngine('wasm');
});

const CNN: CnnNetConfig = { inputShape: [8, 8, 1], classes: 2, filters: 4, cellsPerStage: 1 };
const SGD = { lr: 0.05, lrMin: 0, momentum: 0.9, weightDecay: 1e-4, gradClip: 5 };

describe('CnnMicroNet', () => {
  const arch = cnnMicroSpace.sample(Rng.seeded(3));

  it('maps images to class logits, with weights fixed by the seed', () => {
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const a = new CnnMicroNet(arch, CNN, 7);
    const b = new CnnMicroNet(arch, CNN, 7);
    const c = new CnnMicroNet(arch, CNN, 8);
    const [la, lb, lc] = [a, b, c].map((n) => n.forward(x, false));
    expect(la!.shape).toEqual([2, 2]);
    expect(a.params.count()).toBe(b.params.count());
    expect(Array.from(la!.dataSync())).toEqual(Array.from(lb!.dataSync()));
    expect(Array.from(la!.dataSync())).not.toEqual(Array.from(lc!.dataSync()));
    tf.dispose([x, la!, lb!, lc!]);
    [a, b, c].forEach((n) => n.dispose());
  });

  it('has the same weights on every run with seed 0 (which tfjs takes for no seed)', () => {
    const [a, b] = [new CnnMicroNet(arch, CNN, 0), new CnnMicroNet(arch, CNN, 0)];
    a.params.trainable.forEach((v, i) => expect(Array.from(v.dataSync()), v.name).toEqual(Array.from(b.params.trainable[i]!.dataSync())));
    [a, b].forEach((n) => n.dispose());
  });

  it('has more parameters with more filters and cells', () => {
    const small = new CnnMicroNet(arch, CNN, 1);
    const big = new CnnMicroNet(arch, { ...CNN, filters: 8, cellsPerStage: 2 }, 1);
    expect(big.params.count()).toBeGreaterThan(2 * small.params.count());
    small.dispose();
    big.dispose();
  });

  it('learns a separable task and reports test accuracy', () => {
    const net = new CnnMicroNet(arch, CNN, 1);
    const out = trainImageClassifier(net, halves(256, 1), { test: halves(128, 2) }, { ...SGD, epochs: 3, batchSize: 32, augment: { padCrop: 0, flip: false, cutout: 0 } }, 5);
    net.dispose();
    expect(out.status).toBe('ok');
    expect(out.metrics.test_acc).toBeGreaterThan(90);
    expect(out.metrics.test_error).toBeCloseTo(100 - out.metrics.test_acc!, 10);
  });

  it('is reproducible: the same seed gives the same metrics', () => {
    const run = () => {
      const net = new CnnMicroNet(arch, CNN, 1);
      const out = trainImageClassifier(net, halves(64, 1), { test: halves(32, 2) }, { ...SGD, epochs: 1, batchSize: 16, augment: { padCrop: 1, flip: true, cutout: 2 } }, 9);
      net.dispose();
      return out.metrics;
    };
    expect(run()).toEqual(run());
  });

  it('trains a cell that never reads one of its inputs (that input\'s preprocessing gets no gradient)', () => {
    // Both cells read only input 1 (the previous cell), so input 0's preprocessing is unused.
    const oneInput = cnnMicroSpace.parse(
      'normal:1 max_pool_3x3 1 identity|1 sep_conv_3x3 2 avg_pool_3x3|1 identity 3 sep_conv_3x3|4 max_pool_3x3 4 identity|4 max_pool_3x3 4 identity;' +
        'reduce:1 max_pool_3x3 1 identity|1 sep_conv_3x3 2 sep_conv_3x3|1 max_pool_3x3 1 identity|4 max_pool_3x3 4 identity|4 max_pool_3x3 4 identity',
    );
    const net = new CnnMicroNet(oneInput, CNN, 1);
    const out = trainImageClassifier(net, halves(64, 1), { test: halves(32, 2) }, { ...SGD, epochs: 1, batchSize: 16, augment: { padCrop: 0, flip: false, cutout: 0 } }, 1);
    net.dispose();
    expect(out.status).toBe('ok');
    expect(out.metrics.test_acc).toEqual(expect.any(Number));
  });

  it('reports a diverging child instead of crashing', () => {
    const net = new CnnMicroNet(arch, CNN, 1);
    const out = trainImageClassifier(net, halves(64, 1), { test: halves(32, 2) }, { ...SGD, lr: 1e12, gradClip: 0, epochs: 2, batchSize: 16, augment: { padCrop: 0, flip: false, cutout: 0 } }, 1);
    net.dispose();
    expect(out.status).toBe('diverged');
    expect(out.error).toMatch(/^training loss became (NaN|Infinity|-Infinity) at step \d+ of 8$/);
  });

  it('leaks no tensor per training step', () => {
    const net = new CnnMicroNet(arch, CNN, 1);
    const sgd = new Sgd(net.params.trainable, SGD);
    const x = tf.randomNormal([4, 8, 8, 1]) as tf.Tensor4D;
    const y = tf.oneHot(tf.tensor1d([0, 1, 0, 1], 'int32'), 2);
    const step = () => trainStep(net.params.trainable, () => tf.losses.softmaxCrossEntropy(y, net.forward(x, true)) as tf.Scalar, sgd, 0.01);
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, y]);
    sgd.dispose();
    net.dispose();
  });
});

describe('RnnLm', () => {
  const arch = rnnCellSpace.sample(Rng.seeded(4));
  const LM = { vocab: 6, hidden: 16, dropout: 0 };

  it('gives logits for every position and carries the state', () => {
    const net = new RnnLm(arch, LM, 1);
    const tokens = tf.tensor2d([[0, 1], [2, 3], [4, 5]], [3, 2], 'int32');
    const out = net.forward(tokens, net.initialState(2), false);
    expect(out.logits.shape).toEqual([6, 6]);
    expect(out.state.shape).toEqual([2, 16]);
    const loss = sparseCrossEntropy(out.logits, tf.tensor1d([1, 2, 3, 4, 5, 0], 'int32'));
    expect(loss.dataSync()[0]).toBeGreaterThan(0);
    net.dispose();
  });

  it('computes the sparse cross-entropy of the one-hot formulation', () => {
    const logits = tf.tensor2d([[1, 2, 3], [0.5, -1, 2]]);
    const targets = tf.tensor1d([2, 0], 'int32');
    const dense = tf.losses.softmaxCrossEntropy(tf.oneHot(targets, 3), logits);
    expect(sparseCrossEntropy(logits, targets).dataSync()[0]).toBeCloseTo(dense.dataSync()[0]!, 5);
  });

  it('differentiates the sparse cross-entropy like the one-hot formulation, for extreme logits too', async () => {
    const targets = tf.tensor1d([3, 0, 7, 7, 1, 8], 'int32');
    // The last setting puts row 0's target 300 below the rest: its probability underflows.
    const buried = tf.oneHot(tf.tensor1d([3], 'int32'), 9).pad([[0, 5], [0, 0]]).mul(-300);
    for (const [scale, offset] of [[1, null], [80, null], [1, buried]] as const) {
      const shift = (l: tf.Tensor) => (offset === null ? tf.mul(l, scale) : tf.add(tf.mul(l, scale), offset));
      const dense = (l: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(targets, 9), shift(l));
      const sparse = (l: tf.Tensor) => sparseCrossEntropy(shift(l) as tf.Tensor2D, targets);
      for (const backend of ['cpu', 'wasm']) {
        await tf.setBackend(backend);
        const seed = freshSeed();
        expect(compareFormulations(dense, sparse, [{ shape: [6, 9] }], seed), `${backend}, scale ${scale}, seed ${seed}`).toBeLessThanOrEqual(1e-5);
        if (offset !== null) expect(sparse(tf.zeros([6, 9])).dataSync()[0]).toBeCloseTo((300 + Math.log(8) + 5 * Math.log(9)) / 6, 3);
      }
      const seed = freshSeed();
      expect((await compareWithCpu(sparse, [{ shape: [6, 9] }], seed)).relError, `seed ${seed}`).toBeLessThanOrEqual(1e-5);
    }
    tf.dispose([targets, buried]);
  });

  it('batchifies a token stream into parallel streams', () => {
    const { data, length } = batchify(Int32Array.from([0, 1, 2, 3, 4, 5, 6]), 2);
    expect(length).toBe(3);
    expect(Array.from(data)).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('learns a periodic corpus down to a perplexity near 1', () => {
    const cycle = Int32Array.from({ length: 2000 }, (_, i) => i % 5);
    const net = new RnnLm(arch, LM, 2);
    const out = trainLanguageModel(net, { train: cycle, valid: cycle.slice(0, 400) }, ['valid'], { lr: 1, lrMin: 0.1, momentum: 0.9, weightDecay: 0, gradClip: 0.5, epochs: 3, batchSize: 10, bptt: 10, evalBatchSize: 5 });
    net.dispose();
    expect(out.status).toBe('ok');
    expect(out.metrics.valid_ppl).toBeLessThan(1.5);
  });
});
