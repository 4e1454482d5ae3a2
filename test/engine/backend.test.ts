import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { engineInfo, initEngine, parseBackendChoice } from '../../src/engine/backend.js';
import { PACK_KERNELS } from '../../src/engine/wasm-kernels/index.js';
import { findAdapter } from '../../src/engine/webgpu.js';

function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');
// A WebGPU adapter that is a real GPU would win `auto`; these machines have none (a software
// adapter at most, which auto passes over).
const gpuAdapter = (await findAdapter([]))?.summary.software === false;

describe('parseBackendChoice', () => {
  it('accepts the five choices', () => {
    expect(['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu', ' WASM '].map(parseBackendChoice)).toEqual([
      'auto',
      'tensorflow',
      'webgpu',
      'wasm',
      'cpu',
      'wasm',
    ]);
  });

  it('rejects anything else, naming the input and the accepted values', () => {
    expect(() => parseBackendChoice('gpu')).toThrow("--backend 'gpu': expected one of auto, tensorflow, webgpu, wasm, cpu");
    expect(() => parseBackendChoice('')).toThrow(/--backend '': expected one of/);
  });
});

// One process, one engine: these run in order and build on each other.
describe('initEngine', () => {
  it.skipIf(nativeInstalled)('refuses tensorflow when neither tfjs-node package is installed', async () => {
    await expect(initEngine('tensorflow')).rejects.toThrow(
      /--backend tensorflow needs @tensorflow\/tfjs-node.*tfjs-node-gpu not installed; tfjs-node not installed/,
    );
    expect(engineInfo()).toBeNull();
  });

  it.skipIf(nativeInstalled || gpuAdapter)('auto picks wasm here and says why, passing over a software WebGPU adapter', async () => {
    const info = await initEngine('auto');
    expect(info.backend).toBe('wasm');
    expect(info.deviceKind).toBe('cpu');
    expect(info.reason).toMatch(
      /^tfjs-node-gpu not installed; (webgpu: no GPU device node \(.*\)|webgpu found no adapter \(.*\)|webgpu adapter .* is software \(.*\), used only with --backend webgpu|webgpu needs the optional package .*); tfjs-node not installed; wasm /,
    );
    expect(tf.getBackend()).toBe('wasm');
    expect(info.threads).toBe(getThreadsCount());
    if (info.threads > 1) expect(info.reason).toContain(`wasm threaded-simd with ${info.threads} threads`);
    expect(engineInfo()).toBe(info);
  });

  it('is idempotent and refuses to switch backends afterwards', async () => {
    const first = await initEngine('auto');
    expect(await initEngine('auto')).toBe(first);
    expect(await initEngine(first.backend === 'wasm' ? 'wasm' : 'auto')).toBe(first);
    await expect(initEngine(first.backend === 'cpu' ? 'wasm' : 'cpu')).rejects.toThrow(/already initialised/);
  });

  it('registers gradients, including dilated convolutions', () => {
    expect(tf.getGradient(tf.Conv2D)).toBeDefined();
    expect(tf.getGradient(tf.UnsortedSegmentSum)).toBeDefined();
    const g = tf.tidy(() =>
      tf.grad((f: tf.Tensor) => tf.conv2d(tf.ones([1, 7, 7, 2]) as tf.Tensor4D, f as tf.Tensor4D, 1, 'same', 'NHWC', 2))(
        tf.ones([3, 3, 2, 1]),
      ).shape,
    );
    expect(g).toEqual([3, 3, 2, 1]);
  });

  it('registers the kernel pack for wasm only', () => {
    for (const name of PACK_KERNELS) {
      const mine = tf.getKernel(name, 'wasm');
      expect(mine, name).toBeDefined();
      expect(tf.getKernel(name, 'cpu')?.kernelFunc, name).not.toBe(mine!.kernelFunc);
    }
    expect(tf.getKernelsForBackend('cpu').some((k) => k.kernelFunc.name === 'unsortedSegmentSum' && k.backendName !== 'cpu')).toBe(
      false,
    );
  });

  it('leaks no tensor and no wasm buffer across training steps', async () => {
    await tf.setBackend('wasm');
    const conv = tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 0.1));
    const gamma = tf.variable(tf.ones([8]));
    const beta = tf.variable(tf.zeros([8]));
    const dense = tf.variable(tf.randomNormal([8, 10], 0, 0.1));
    const x = tf.randomNormal([4, 8, 8, 3]);
    const labels = tf.oneHot(tf.tensor1d([1, 3, 5, 7], 'int32'), 10);
    const optimizer = tf.train.momentum(0.01, 0.9);
    const step = () =>
      tf.dispose(
        optimizer.minimize(() => {
          const h = tf.conv2d(x as tf.Tensor4D, conv as tf.Tensor4D, 1, 'same');
          const { mean, variance } = tf.moments(h, [0, 1, 2]);
          const y = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-3));
          const logits = tf.matMul(tf.mean(y, [1, 2]), dense);
          return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
        }, true) ?? [],
      );
    const backend = tf.backend() as unknown as { numDataIds(): number };
    step(); // creates the momentum slots
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 5; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    optimizer.dispose();
    tf.dispose([conv, gamma, beta, dense, x, labels]);
  });
});
