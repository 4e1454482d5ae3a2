import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../src/engine/backend.js';
import { compareFormulations, compareWithCpu, freshSeed, type Input } from './grad-check.js';
import { convCases, denseCases, f32, shapeCases, t4, TOLERANCE } from './kernel-cases.js';

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
