import type { Tensorflow } from '../plugin.js';
import type { Tensor, Variable } from '../kit/tensors.js';

/**
 * One LSTM layer. Each weight holds the four gates (input, forget, cell, output) along its leading
 * axis, so that separating them is a contiguous copy on every backend; a [D, 4H] block would have
 * to be split along its last axis, a strided slice that the cpu backend copies element by element.
 */
export interface LstmWeights {
  /** [4, D, H] */
  readonly wx: Variable;
  /** [4, H, H] */
  readonly wh: Variable;
  /** [4, H] */
  readonly b: Variable;
}

/** The weights split per gate, once per forward pass. */
export interface LstmGates {
  readonly wx: readonly Tensor[];
  readonly wh: readonly Tensor[];
  readonly b: readonly Tensor[];
}

export interface LstmState {
  /** [B, H] */
  readonly h: Tensor;
  /** [B, H] */
  readonly c: Tensor;
}

export function splitGates(tf: Tensorflow, w: LstmWeights): LstmGates {
  return { wx: tf.unstack(w.wx), wh: tf.unstack(w.wh), b: tf.unstack(w.b) };
}

/** x_t·Wx + b of every gate for every step of a time-major [T, B, D] sequence: four matMuls instead of 4·T. Result: [step][gate]. */
export function projectSequence(tf: Tensorflow, g: LstmGates, x: Tensor): Tensor[][] {
  const [steps, batch, width] = x.shape as [number, number, number];
  const flat = tf.reshape(x, [steps * batch, width]);
  // Unstacking the leading (time) axis takes contiguous slices.
  const perGate = g.wx.map((wx, k) => tf.unstack(tf.reshape(tf.add(tf.matMul(flat, wx), g.b[k]!), [steps, batch, -1])));
  return Array.from({ length: steps }, (_, t) => perGate.map((gate) => gate[t]!));
}

/** x·Wx + b of every gate for one [B, D] input (the decoder's, known only once the previous token is chosen). */
export function projectStep(tf: Tensorflow, g: LstmGates, x: Tensor): Tensor[] {
  return g.wx.map((wx, k) => tf.add(tf.matMul(x, wx), g.b[k]!));
}

export function lstmStep(tf: Tensorflow, g: LstmGates, projected: readonly Tensor[], state: LstmState): LstmState {
  const [i, f, cell, o] = g.wh.map((wh, k) => tf.add(projected[k]!, tf.matMul(state.h, wh))) as [Tensor, Tensor, Tensor, Tensor];
  const c = tf.add(tf.mul(tf.sigmoid(f), state.c), tf.mul(tf.sigmoid(i), tf.tanh(cell)));
  return { h: tf.mul(tf.sigmoid(o), tf.tanh(c)), c };
}

/** Runs the layer over projected inputs; returns the output [B, H] of every step. */
export function runLstm(tf: Tensorflow, g: LstmGates, projected: readonly (readonly Tensor[])[], init: LstmState): Tensor[] {
  const outputs: Tensor[] = [];
  let state = init;
  for (const p of projected) {
    state = lstmStep(tf, g, p, state);
    outputs.push(state.h);
  }
  return outputs;
}
