import * as tf from '@tensorflow/tfjs-core';
import type { Input } from './grad-check.js';

/**
 * The operations the engine's networks train with, each on several geometries: checked against
 * the cpu backend on wasm (wasm-kernels.test.ts) and on WebGPU (webgpu-kernels.test.ts).
 */
export const TOLERANCE = 1e-4;

export type Case = [name: string, f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: Input[]];

export const t4 = (t: tf.Tensor) => t as tf.Tensor4D;
export const f32 = (...shape: number[]): Input => ({ shape });

export function convCases(): Case[] {
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

export function denseCases(): Case[] {
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

export function shapeCases(): Case[] {
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
    // More terms than one WebGPU shader may bind (a highway cell averages up to 12 loose ends).
    ['addN of 40 terms', (...xs) => tf.addN(xs), Array.from({ length: 40 }, () => f32(3, 7))],
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
