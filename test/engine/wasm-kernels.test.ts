import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../src/engine/backend.js';
import { compareFormulations, compareWithCpu, freshSeed, type Input } from './grad-check.js';

const TOLERANCE = 1e-4;

type Case = [name: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[]];

const t4 = (t: tf.Tensor) => t as tf.Tensor4D;
const f32 = (...shape: number[]): Input => ({ shape });

function convCases(): Case[] {
  const cases: Case[] = [];
  const geometries: Array<[k: number, s: number, pad: 'same' | 'valid', h: number, w: number]> = [
    [3, 1, 'same', 8, 8],
    [3, 2, 'same', 8, 8],
    [3, 2, 'same', 9, 7],
    [3, 1, 'valid', 7, 9],
    [3, 2, 'valid', 9, 8],
    [1, 1, 'same', 6, 6],
    [1, 2, 'valid', 9, 9],
    [5, 2, 'same', 11, 10],
    [2, 3, 'valid', 7, 8],
  ];
  for (const [k, s, pad, h, w] of geometries) {
    cases.push([
      `conv2d ${k}x${k} stride ${s} ${pad} on ${h}x${w}`,
      (x, f) => tf.conv2d(t4(x!), t4(f!), s, pad),
      [f32(3, h, w, 5), f32(k, k, 5, 6)],
    ]);
    cases.push([
      `depthwiseConv2d ${k}x${k} stride ${s} ${pad} on ${h}x${w}`,
      (x, f) => tf.depthwiseConv2d(t4(x!), t4(f!), s, pad),
      [f32(3, h, w, 6), f32(k, k, 6, 1)],
    ]);
  }
  cases.push(
    ['conv2d 3x3 explicit padding 2', (x, f) => tf.conv2d(t4(x!), t4(f!), 1, 2), [f32(2, 6, 6, 3), f32(3, 3, 3, 4)]],
    ['conv2d 3x3 dilation 2 same', (x, f) => tf.conv2d(t4(x!), t4(f!), 1, 'same', 'NHWC', 2), [f32(2, 9, 9, 4), f32(3, 3, 4, 5)]],
    ['conv2d 3x3 dilation 2 valid', (x, f) => tf.conv2d(t4(x!), t4(f!), 1, 'valid', 'NHWC', 2), [f32(2, 9, 8, 4), f32(3, 3, 4, 3)]],
    ['depthwiseConv2d 3x3 dilation 2 same', (x, f) => tf.depthwiseConv2d(t4(x!), t4(f!), 1, 'same', 'NHWC', 2), [f32(2, 9, 9, 4), f32(3, 3, 4, 1)]],
    ['depthwiseConv2d 5x5 dilation 2 valid', (x, f) => tf.depthwiseConv2d(t4(x!), t4(f!), 1, 'valid', 'NHWC', 2), [f32(2, 12, 11, 3), f32(5, 5, 3, 1)]],
    ['depthwiseConv2d multiplier 2 stride 2', (x, f) => tf.depthwiseConv2d(t4(x!), t4(f!), 2, 'same'), [f32(2, 8, 8, 3), f32(3, 3, 3, 2)]],
    [
      'separable conv (depthwise 5x5 then pointwise)',
      (x, d, p) => tf.separableConv2d(t4(x!), t4(d!), t4(p!), 1, 'same'),
      [f32(2, 8, 8, 4), f32(5, 5, 4, 1), f32(1, 1, 4, 6)],
    ],
    ['conv2dTranspose 3x3 stride 2', (y, f) => tf.conv2dTranspose(t4(y!), t4(f!), [2, 8, 8, 3], 2, 'same'), [f32(2, 4, 4, 5), f32(3, 3, 3, 5)]],
  );
  return cases;
}

const ids = (n: number, vocab: number) => Array.from({ length: n }, (_, i) => (i * 7) % vocab);

function denseCases(): Case[] {
  return [
    ['matMul', (a, b) => tf.matMul(a!, b!), [f32(7, 5), f32(5, 9)]],
    ['matMul transposeA', (a, b) => tf.matMul(a!, b!, true, false), [f32(5, 7), f32(5, 9)]],
    ['matMul transposeB', (a, b) => tf.matMul(a!, b!, false, true), [f32(7, 5), f32(9, 5)]],
    ['matMul transposeB, large right operand', (a, b) => tf.matMul(a!, b!, false, true), [f32(2, 40), f32(60, 40)]],
    ['matMul transposeA transposeB', (a, b) => tf.matMul(a!, b!, true, true), [f32(5, 7), f32(9, 5)]],
    ['batched matMul', (a, b) => tf.matMul(a!, b!), [f32(4, 6, 5), f32(4, 5, 3)]],
    ['batched matMul transposeB (attention scores)', (q, k) => tf.matMul(q!, k!, false, true), [f32(3, 6, 4), f32(3, 6, 4)]],
    ['batched matMul transposeA', (a, b) => tf.matMul(a!, b!, true, false), [f32(3, 5, 6), f32(3, 5, 4)]],
    [
      'embedding gather with duplicate ids',
      (table, idx) => tf.mul(tf.gather(table!, idx!), 1.5),
      [f32(10, 6), { shape: [4, 5], dtype: 'int32', values: ids(20, 10) }],
    ],
    ['logSoftmax cross-entropy', (logits) => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits!), tf.oneHot(tf.tensor1d([1, 0, 3, 2, 4], 'int32'), 7)), 1))), [f32(5, 7)]],
    ['float32 one-hot', (logits) => tf.mul(logits!, tf.oneHot(tf.tensor1d([1, 0, 6, 2, -1], 'int32'), 7, 2, -0.5, 'float32')), [f32(5, 7)]],
    ['softmax cross-entropy', (logits, labels) => tf.losses.softmaxCrossEntropy(labels!, logits!), [f32(6, 8), f32(6, 8)]],
    ['sigmoid, tanh, mul, sub', (a, b) => tf.sub(tf.mul(tf.sigmoid(a!), tf.tanh(b!)), tf.square(a!)), [f32(4, 9), f32(4, 9)]],
    ['clipByValue and sum', (a) => tf.sum(tf.clipByValue(a!, -0.5, 0.4), 1), [f32(5, 8)]],
  ];
}

function lstmStep(x: tf.Tensor, h: tf.Tensor, w: tf.Tensor, u: tf.Tensor): tf.Tensor {
  const gates = tf.add(tf.matMul(x, w), tf.matMul(h, u));
  const [i, f, g, o] = tf.split(gates, 4, 1);
  const c = tf.mul(tf.sigmoid(f!), tf.tanh(g!));
  return tf.mul(tf.sigmoid(o!), tf.tanh(tf.add(c, tf.sigmoid(i!))));
}

function shapeCases(): Case[] {
  return [
    ['slice inner axis', (a) => tf.slice(a!, [1, 2, 0], [3, 4, 5]), [f32(5, 7, 5)]],
    ['slice middle axis, short runs', (a) => tf.slice(a!, [0, 1, 1], [4, 2, 3]), [f32(4, 5, 6)]],
    ['split into LSTM gates', (a, b, w, u) => lstmStep(a!, b!, w!, u!), [f32(4, 6), f32(4, 5), f32(6, 20), f32(5, 20)]],
    ['splitV uneven', (a) => tf.mul(tf.split(a!, [2, 5, 1], 1)[1]!, 2), [f32(3, 8, 2)]],
    ['unstack time steps', (a) => tf.stack(tf.unstack(a!).map((t, i) => tf.mul(t, i + 1))), [f32(5, 3, 4)]],
    ['unstack axis 1', (a) => tf.stack(tf.unstack(a!, 1).map((t, i) => tf.mul(t, i - 1)), 1), [f32(3, 4, 5)]],
    ['concat channels', (a, b) => tf.relu(tf.concat([a!, b!], 3)), [f32(2, 4, 4, 3), f32(2, 4, 4, 5)]],
    ['tile', (a) => tf.tile(a!, [3, 1, 2]), [f32(2, 5, 20)]],
    // Large enough (≥ 16,384 elements per matrix) for the pack's tiled path, with partial tiles.
    ['transpose a matrix', (a) => tf.transpose(a!), [f32(150, 130)]],
    ['transpose the last two axes of a batch', (a) => tf.transpose(a!, [0, 2, 1]), [f32(2, 70, 250)]],
    ['transpose other axes (stock kernel)', (a) => tf.transpose(a!, [1, 0, 2]), [f32(3, 4, 5)]],
    ['pad', (a) => tf.pad(a!, [[0, 0], [1, 2], [2, 1], [0, 0]]), [f32(2, 4, 5, 3)]],
    ['add, addN, relu', (a, b, c) => tf.relu(tf.addN([tf.add(a!, b!), c!, a!])), [f32(2, 5, 5, 4), f32(2, 5, 5, 4), f32(2, 5, 5, 4)]],
    // Large enough (≥ 4096 elements) for the pack's per-channel path, in both operand orders.
    [
      'per-channel mul, add, sub',
      (a, v) => tf.addN([tf.mul(a!, v!), tf.sub(tf.reshape(v!, [1, 1, 1, 8]), a!), tf.mul(tf.add(a!, v!), tf.sub(a!, v!))]),
      [f32(4, 16, 16, 8), f32(8)],
    ],
    ['global mean over H, W', (a) => tf.mean(a!, [1, 2]), [f32(3, 6, 6, 5)]],
    ['sum over the batch (bias gradient)', (a) => tf.sum(a!, 0), [f32(6, 9)]],
    ['mean over a middle block, keepDims', (a) => tf.mean(a!, [1, 2], true), [f32(2, 3, 4, 5, 3)]],
    ['sum over all axes', (a) => tf.sum(a!), [f32(3, 4, 5)]],
    ['avgPool 3x3 stride 1 same', (a) => tf.avgPool(t4(a!), 3, 1, 'same'), [f32(2, 7, 7, 4)]],
    ['avgPool 3x3 stride 2 same', (a) => tf.avgPool(t4(a!), 3, 2, 'same'), [f32(2, 8, 8, 4)]],
    ['avgPool 3x3 stride 2 same on 7x9', (a) => tf.avgPool(t4(a!), 3, 2, 'same'), [f32(2, 7, 9, 4)]],
    ['avgPool 2x2 stride 2 valid on 7x8', (a) => tf.avgPool(t4(a!), 2, 2, 'valid'), [f32(2, 7, 8, 3)]],
    ['maxPool 3x3 stride 1 same', (a) => tf.maxPool(t4(a!), 3, 1, 'same'), [f32(2, 7, 7, 4)]],
    ['maxPool 3x3 stride 2 same', (a) => tf.maxPool(t4(a!), 3, 2, 'same'), [f32(2, 8, 8, 4)]],
    [
      'batch norm, training mode',
      (x, gamma, beta) => {
        const { mean, variance } = tf.moments(x!, [0, 1, 2]);
        return tf.batchNorm(x!, mean, variance, beta!, gamma!, 1e-3);
      },
      [f32(4, 5, 5, 24), f32(24), f32(24)],
    ],
  ];
}

describe('wasm training kernels match the cpu backend', () => {
  const threads = Math.min(2, availableParallelism());
  beforeAll(async () => {
    // Threaded whenever the machine has the cores, whatever its load: the pack must be exact on
    // the threaded module too.
    await initEngine('wasm', { threads });
  });

  it('runs on the threaded module when there are cores for it', async () => {
    const info = await initEngine('wasm');
    expect(info.threads).toBe(threads);
    if (threads > 1) expect(info.reason).toBe(`wasm threaded-simd with ${threads} threads`);
  });

  const cases = [...convCases(), ...denseCases(), ...shapeCases()];
  it.each(cases)('%s', async (_name, f, inputs) => {
    const seed = freshSeed();
    const { relError, worst } = await compareWithCpu(f, inputs, seed);
    expect(relError, `${worst}, seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    ['batched matMul with a shared right operand', [f32(2, 3, 6, 5), f32(5, 4)]],
    ['batched matMul broadcasting the left operand', [f32(1, 6, 5), f32(2, 5, 4)]],
  ] as Array<[string, Input[]]>)('%s (forward; tfjs-core has no broadcasting matMul gradient)', async (_name, inputs) => {
    const seed = freshSeed();
    const { relError } = await compareWithCpu((a, b) => tf.matMul(a!, b!), inputs, seed, false);
    expect(relError, `seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each([
    ['conv2d', 'same', 2],
    ['conv2d', 'valid', 3],
    ['depthwiseConv2d', 'same', 2],
    ['depthwiseConv2d', 'valid', 2],
  ] as const)('dilated %s (%s, rate %i) gradients equal those of an explicitly dilated filter', async (op, pad, rate) => {
    await tf.setBackend('cpu');
    const conv = (x: tf.Tensor, f: tf.Tensor, dilation: number) =>
      op === 'conv2d' ? tf.conv2d(t4(x), t4(f), 1, pad, 'NHWC', dilation) : tf.depthwiseConv2d(t4(x), t4(f), 1, pad, 'NHWC', dilation);
    const spread = (f: tf.Tensor) => {
      const [kh, kw, ci, co] = f.shape as number[];
      const holes = tf.pad(tf.reshape(f, [kh!, 1, kw!, 1, ci!, co!]), [[0, 0], [0, rate - 1], [0, 0], [0, rate - 1], [0, 0], [0, 0]]);
      const full = tf.reshape(holes, [kh! * rate, kw! * rate, ci!, co!]);
      return tf.slice(full, [0, 0, 0, 0], [(kh! - 1) * rate + 1, (kw! - 1) * rate + 1, ci!, co!]);
    };
    const inputs = [f32(2, 10, 9, 3), f32(3, 3, 3, op === 'conv2d' ? 4 : 1)];
    const seed = freshSeed();
    const err = compareFormulations((x, f) => conv(x!, f!, rate), (x, f) => conv(x!, spread(f!), 1), inputs, seed);
    expect(err, `seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it('propagates NaN through the reductions and the depthwise filter gradient, as the cpu backend does', async () => {
    await tf.setBackend('wasm');
    const values = Float32Array.from({ length: 2 * 6 * 6 * 4 }, (_, i) => (i === 4 * 9 + 1 ? NaN : (i % 7) - 3));
    const x = tf.tensor4d(values, [2, 6, 6, 4]);
    const nanChannels = (t: tf.Tensor) => Array.from(t.dataSync(), Number.isNaN);
    expect(nanChannels(tf.mean(x, [0, 1, 2]))).toEqual([false, true, false, false]);
    expect(nanChannels(tf.sum(x, [0, 1, 2]))).toEqual([false, true, false, false]);
    const dw = tf.grad((f: tf.Tensor) => tf.sum(tf.depthwiseConv2d(x, f as tf.Tensor4D, 1, 'same')))(tf.ones([3, 3, 4, 1]));
    expect(nanChannels(tf.sum(dw, [0, 1, 3]))).toEqual([false, true, false, false]);
    tf.dispose([x, dw]);
  });

  it('catches a wrong kernel', async () => {
    // Scatter that overwrites instead of adding: wrong exactly when ids repeat.
    const real = tf.getKernel('UnsortedSegmentSum', 'wasm')!;
    const wrong: tf.KernelFunc = ({ inputs, backend, attrs }) => {
      const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
      const unique = tf.tidy(() => {
        const seen = new Set<number>();
        const keep = Array.from(tf.engine().readSync(segmentIds.dataId) as Int32Array).map((id) => {
          const first = !seen.has(id);
          seen.add(id);
          return first ? id : -1;
        });
        return tf.keep(tf.tensor1d(keep, 'int32'));
      });
      const out = real.kernelFunc({ inputs: { x, segmentIds: unique }, backend, attrs }) as tf.TensorInfo;
      unique.dispose();
      return out;
    };
    tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
    tf.registerKernel({ ...real, kernelFunc: wrong });
    try {
      const [, f, inputs] = denseCases().find(([name]) => name.startsWith('embedding'))!;
      const { relError } = await compareWithCpu(f, inputs, freshSeed());
      expect(relError).toBeGreaterThan(TOLERANCE);
    } finally {
      tf.unregisterKernel('UnsortedSegmentSum', 'wasm');
      tf.registerKernel(real);
    }
  });
});
