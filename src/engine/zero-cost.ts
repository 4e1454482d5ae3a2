import * as tf from './tf.js';
import type { Nb201Arch } from '../spaces/nb201.js';
import { Nb201Net, type Nb201NetConfig, type ReluProbe } from './nb201-net.js';

/**
 * Training-free ("zero-cost") scores of an untrained network: what a searcher may ask for instead
 * of training a child.
 *
 * - `naswot` (Mellor et al., ICML 2021): over one minibatch, each input's binary code is which
 *   ReLUs it switches on (pre-activation > 0). K[i][j] = N_A − d_H(c_i, c_j), summed over every ReLU
 *   of the network (N_A units, d_H the Hamming distance), and the score is log|det K|. Batch
 *   normalisation runs in training mode (batch statistics), as in the authors' code.
 * - `synflow` (Tanaka et al., NeurIPS 2020; the zero-cost proxies of Abdelfattah et al., ICLR
 *   2021): data-free. The network without batch normalisation, every parameter replaced by |θ|, an
 *   all-ones input of one image; R = Σ outputs; score Σ over convolution and linear weights of
 *   |θ · ∂R/∂θ|.
 * - `params`: trainable parameters; `flops`: multiply-accumulates per image (see `Nb201Net.flops`).
 */
/** A network whose ReLU inputs can be watched. */
export interface ProbedNetwork {
  forward(x: tf.Tensor4D, training: boolean, options: { probe?: ReluProbe }): tf.Tensor2D;
}

/**
 * NASWOT's kernel over a minibatch of B inputs, as B×B float64 (row-major). Per ReLU layer with
 * codes c (B × n, 1 where the unit is on): c·cᵀ + (1−c)·(1−c)ᵀ = n − a_i − a_j + 2(c·cᵀ)_ij, with
 * a_i the units input i switches on. Each layer's part is exact in float32 (integers below 2²⁴)
 * and is added up in float64.
 */
export function naswotKernel(net: ProbedNetwork, x: tf.Tensor4D): Float64Array {
  const b = x.shape[0];
  const kernel = new Float64Array(b * b);
  const probe: ReluProbe = (pre) => {
    const part = tf.tidy(() => {
      const n = pre.size / b;
      const codes = tf.cast(tf.greater(tf.reshape(pre, [b, n]), 0), 'float32') as tf.Tensor2D;
      const on = tf.sum(codes, 1);
      const both = tf.mul(tf.matMul(codes, codes, false, true), 2);
      return tf.add(tf.sub(tf.sub(both, tf.reshape(on, [b, 1])), tf.reshape(on, [1, b])), n);
    });
    const values = part.dataSync();
    part.dispose();
    for (let i = 0; i < values.length; i++) kernel[i]! += values[i] as number;
  };
  tf.tidy(() => {
    net.forward(x, true, { probe });
  });
  return kernel;
}

/**
 * log|det A| of an n×n matrix (row-major float64) by LU decomposition with partial pivoting, as
 * numpy's slogdet (which the authors' code calls) returns it; −Infinity when A is singular.
 */
export function logAbsDeterminant(matrix: Float64Array, n: number): number {
  const a = Float64Array.from(matrix);
  let logDet = 0;
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]!) > Math.abs(a[pivot * n + k]!)) pivot = i;
    const p = a[pivot * n + k]!;
    if (p === 0) return -Infinity;
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j]!;
        a[k * n + j] = a[pivot * n + j]!;
        a[pivot * n + j] = t;
      }
    }
    logDet += Math.log(Math.abs(p));
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k]! / p;
      if (f === 0) continue;
      for (let j = k + 1; j < n; j++) a[i * n + j]! -= f * a[k * n + j]!;
    }
  }
  return logDet;
}

export function naswotScore(net: ProbedNetwork, x: tf.Tensor4D): number {
  return logAbsDeterminant(naswotKernel(net, x), x.shape[0]);
}

/** A network for synflow: its trainable variables and the weights (convolution and linear) that are scored. */
export interface SynflowNetwork {
  readonly variables: readonly tf.Variable[];
  readonly scored: readonly tf.Variable[];
  /**
   * Sum of the outputs for an all-ones input; `between` may rescale the features between blocks
   * by a constant (the network, with every parameter positive and no normalisation, is linear in them).
   */
  output(between: (x: tf.Tensor4D) => tf.Tensor4D): tf.Scalar;
}

/**
 * synflow in float64 from float32 arithmetic. With |θ| and a positive input every ReLU passes its
 * input, so the network is linear in the features after each block: dividing them there by a
 * constant s (their largest value) divides R, and every ∂R/∂θ, by s. The product S of those
 * constants is kept in float64 and the score is S · Σ|θ · ∂(R/S)/∂θ|, with each layer's sum in
 * float32 and the total in float64: the raw activations of the benchmark's network reach 1e40 and
 * beyond, past float32's 3.4e38.
 */
export function synflowScore(net: SynflowNetwork): number {
  const signs = tf.tidy(() => net.variables.map((v) => tf.sign(v)));
  try {
    // Inside tidy: assign keeps its own reference, the temporary is freed.
    for (const v of net.variables) tf.tidy(() => v.assign(tf.abs(v)));
    let scale = 1;
    const between = (x: tf.Tensor4D): tf.Tensor4D => {
      const s = tf.tidy(() => tf.max(x).dataSync()[0] as number);
      if (!(s > 0) || !Number.isFinite(s)) return x;
      scale *= s;
      return tf.div(x, s);
    };
    let sum = 0;
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => net.output(between), net.scored as tf.Variable[]);
      for (const v of net.scored) sum += tf.sum(tf.abs(tf.mul(v, grads[v.name]!))).dataSync()[0] as number;
    });
    return scale * sum;
  } finally {
    net.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.mul(v, signs[i]!))));
    tf.dispose(signs);
  }
}

/** The NB201 network's synflow: built without batch normalisation, as the reference code does. */
export function nb201Synflow(arch: Nb201Arch, config: Nb201NetConfig, seed: number): number {
  const net = new Nb201Net(arch, { ...config, batchNorm: false }, seed);
  try {
    const weights = net.params.trainable.filter((v) => v.shape.length === 4 || v.shape.length === 2);
    const [h, w, c] = config.inputShape;
    return synflowScore({
      variables: net.params.trainable,
      scored: weights,
      output: (between) => tf.sum(net.forward(tf.ones([1, h, w, c]) as tf.Tensor4D, false, { between })),
    });
  } finally {
    net.dispose();
  }
}

/** The NB201 network's NASWOT score on a minibatch x (B × H × W × C). */
export function nb201Naswot(arch: Nb201Arch, config: Nb201NetConfig, seed: number, x: tf.Tensor4D): number {
  const net = new Nb201Net(arch, config, seed);
  try {
    return naswotScore(net, x);
  } finally {
    net.dispose();
  }
}
