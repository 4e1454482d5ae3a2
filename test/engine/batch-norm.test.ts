import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../src/engine/backend.js';
import { batchNormTraining } from '../../src/engine/batch-norm.js';
import { compareFormulations, compareWithCpu, freshSeed, type Input } from './grad-check.js';

const TOLERANCE = 1e-4;

/** The formulation autodiff differentiates: tfjs-core's moments and batchNorm. */
function autodiffBatchNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  return tf.batchNorm(x as tf.Tensor4D, mean, variance, beta as tf.Tensor1D, gamma as tf.Tensor1D, 1e-5);
}

function writtenOut(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor): tf.Tensor {
  const { y, mean, variance } = batchNormTraining(x as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D, 1e-5);
  tf.dispose([mean, variance]);
  return y;
}

// Shifted and scaled inputs: batch statistics far from 0 and 1 are where a wrong gradient shows.
// The output is weighted by fixed random values: under a uniform upstream gradient, the gradient
// of a normalisation with respect to x is zero.
const shifted = (f: typeof writtenOut) => (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) =>
  tf.mul(f(tf.add(tf.mul(x, 3), 0.5), tf.add(gamma, 1), beta), tf.randomNormal(x.shape, 0, 1, 'float32', 17));

const shapes: Input[][] = [
  [{ shape: [4, 5, 5, 6] }, { shape: [6] }, { shape: [6] }],
  // Large enough for the wasm pack's per-channel broadcasting path.
  [{ shape: [8, 12, 12, 16] }, { shape: [16] }, { shape: [16] }],
];

describe('batchNormTraining', () => {
  beforeAll(async () => {
    await initEngine('wasm');
  });

  it.each(shapes)('equals the autodiff batch norm, output and gradients, on cpu and wasm (x %j)', async (...inputs) => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const seed = freshSeed();
      const err = compareFormulations(shifted(autodiffBatchNorm), shifted(writtenOut), inputs, seed);
      expect(err, `${backend}, seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it.each(shapes)('computes the same on wasm as on cpu (x %j)', async (...inputs) => {
    const seed = freshSeed();
    const { relError, worst } = await compareWithCpu(shifted(writtenOut), inputs, seed);
    expect(relError, `${worst}, seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it('returns the batch mean and biased variance per channel', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor4d([1, 10, 3, 20, 5, 30, 7, 40], [2, 2, 1, 2]);
    const { y, mean, variance } = batchNormTraining(x, tf.ones([2]) as tf.Tensor1D, tf.zeros([2]) as tf.Tensor1D, 0);
    expect(Array.from(mean.dataSync())).toEqual([4, 25]);
    expect(Array.from(variance.dataSync())).toEqual([5, 125]);
    expect(y.dataSync()[0]).toBeCloseTo(-3 / Math.sqrt(5), 5);
    tf.dispose([x, y, mean, variance]);
  });

  it('leaks no tensor and no wasm buffer over training steps (with the depthwise filter gradient)', async () => {
    await tf.setBackend('wasm');
    const depthwise = tf.variable(tf.randomNormal([5, 5, 16, 1], 0, 0.2));
    const gamma = tf.variable(tf.ones([16]));
    const beta = tf.variable(tf.zeros([16]));
    const x = tf.randomNormal([4, 12, 12, 16]) as tf.Tensor4D;
    const step = () => {
      const { value, grads } = tf.variableGrads(() => {
        const h = tf.depthwiseConv2d(x, depthwise as tf.Tensor4D, 2, 'same');
        return tf.mean(tf.square(writtenOut(h, gamma, beta))) as tf.Scalar;
      });
      tf.dispose([value, ...Object.values(grads)]);
    };
    const backend = tf.backend() as unknown as { numDataIds(): number };
    step();
    const tensors = tf.memory().numTensors;
    const buffers = backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(backend.numDataIds()).toBe(buffers);
    tf.dispose([depthwise, gamma, beta, x]);
  });
});
