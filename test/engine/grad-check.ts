import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../src/api/index.js';

export interface Input {
  readonly shape: number[];
  readonly dtype?: 'float32' | 'int32';
  /** Exact values (ids, for instance); otherwise uniform in [-1, 1). */
  readonly values?: number[];
}

export interface Comparison {
  /** max |backend - cpu| / max |cpu| over the output and every gradient. */
  readonly relError: number;
  readonly worst: string;
}

/** A fresh seed per run; failures print it so a run can be replayed. */
export function freshSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

function draw(rng: Rng, input: Input): Float32Array | Int32Array {
  if (input.values) return input.dtype === 'int32' ? Int32Array.from(input.values) : Float32Array.from(input.values);
  const size = tf.util.sizeFromShape(input.shape);
  return Float32Array.from({ length: size }, () => rng.float() * 2 - 1);
}

/**
 * Runs f forward and backward (with a random upstream gradient, so every output element counts)
 * on `backend` and returns the output followed by the gradient of each float input.
 */
export function evaluate(
  backend: string,
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly Input[],
  data: Array<Float32Array | Int32Array>,
  dyData: Float32Array | null,
  withGradients: boolean,
): Float32Array[] {
  tf.engine().startScope();
  try {
    if (tf.getBackend() !== backend) throw new Error(`backend ${backend} is not active`);
    const xs = inputs.map((input, i) => tf.tensor(data[i]!, input.shape, input.dtype ?? 'float32'));
    const floatIdx = inputs.map((input, i) => (input.dtype === 'int32' ? -1 : i)).filter((i) => i >= 0);
    const y = f(...xs);
    if (!withGradients) return [Float32Array.from(y.dataSync())];
    const dy = dyData ? tf.tensor(dyData, y.shape) : tf.onesLike(y);
    const grads = tf.grads((...fs: tf.Tensor[]) => {
      const all = xs.slice();
      floatIdx.forEach((idx, k) => (all[idx] = fs[k]!));
      return f(...all);
    })(floatIdx.map((i) => xs[i]!), dy);
    return [y, ...grads].map((t) => Float32Array.from(t.dataSync()));
  } finally {
    tf.engine().endScope();
  }
}

/**
 * Same computation on cpu and on `backend` (wasm unless named), fresh random data; returns the
 * worst relative error of the output and (unless `withGradients` is false) of every gradient.
 */
export async function compareWithCpu(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly Input[],
  seed: number,
  withGradients = true,
  backend = 'wasm',
): Promise<Comparison> {
  const rng = Rng.seeded(seed);
  const data = inputs.map((input) => draw(rng, input));
  await tf.setBackend('cpu');
  const outShape = tf.tidy(() => f(...inputs.map((input, i) => tf.tensor(data[i]!, input.shape, input.dtype ?? 'float32'))).shape);
  const dy = Float32Array.from({ length: tf.util.sizeFromShape(outShape) }, () => rng.float() * 2 - 1);
  const reference = evaluate('cpu', f, inputs, data, dy, withGradients);
  await tf.setBackend(backend);
  const actual = evaluate(backend, f, inputs, data, dy, withGradients);
  let relError = 0;
  let worst = '';
  reference.forEach((ref, k) => {
    const err = relativeError(ref, actual[k]!);
    if (err > relError) {
      relError = err;
      worst = k === 0 ? 'output' : `gradient ${k - 1}`;
    }
  });
  return { relError, worst };
}

/** Output and gradients of two formulations of one function, both on the active backend. */
export function compareFormulations(
  f: (...xs: tf.Tensor[]) => tf.Tensor,
  g: (...xs: tf.Tensor[]) => tf.Tensor,
  inputs: readonly Input[],
  seed: number,
): number {
  const rng = Rng.seeded(seed);
  const data = inputs.map((input) => draw(rng, input));
  const backend = tf.getBackend();
  const a = evaluate(backend, f, inputs, data, null, true);
  const b = evaluate(backend, g, inputs, data, null, true);
  return Math.max(...a.map((ref, k) => relativeError(ref, b[k]!)));
}

export function relativeError(ref: Float32Array, got: Float32Array): number {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < ref.length; i++) {
    scale = Math.max(scale, Math.abs(ref[i]!));
    diff = Math.max(diff, Math.abs(ref[i]! - got[i]!));
  }
  const err = diff / Math.max(scale, 1e-12);
  return Number.isNaN(err) || got.length !== ref.length ? Infinity : err;
}
