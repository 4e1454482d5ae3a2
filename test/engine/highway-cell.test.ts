import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { initEngine } from '../../src/engine/backend.js';
import { highwayCellSequence } from '../../src/engine/highway-cell.js';
import { rnnCellSpace, type RnnActivation, type RnnNode } from '../../src/spaces/rnn-cell.js';
import { compareFormulations, compareWithCpu, freshSeed, type Input } from './grad-check.js';

const TOLERANCE = 1e-4;
const [T, B, H] = [5, 3, 6];

const ACTIVATIONS: Record<RnnActivation, (x: tf.Tensor) => tf.Tensor> = { tanh: tf.tanh, relu: tf.relu, identity: (x) => x, sigmoid: tf.sigmoid };

/** The cell step by step with autodiff's gradient: what the written-out backward must equal. */
function autodiffCell(nodes: readonly RnnNode[], x: tf.Tensor, h0: tf.Tensor, w0h: tf.Tensor, ws: tf.Tensor[]): tf.Tensor {
  const highway = (prev: tf.Tensor, pre: tf.Tensor, f: (x: tf.Tensor) => tf.Tensor) => {
    const [c, h] = tf.split(pre, 2, 1);
    return tf.add(prev, tf.mul(tf.sigmoid(c!), tf.sub(f(h!), prev)));
  };
  const outputs: tf.Tensor[] = [];
  let hPrev = h0;
  for (const xt of tf.unstack(x)) {
    const states = [highway(hPrev, tf.add(xt, tf.matMul(hPrev, w0h)), tf.tanh)];
    nodes.forEach((node, i) => states.push(highway(states[node.prev]!, tf.matMul(states[node.prev]!, ws[i]!), ACTIVATIONS[node.activation])));
    hPrev = tf.div(tf.addN(states.slice(1)), nodes.length);
    outputs.push(hPrev);
  }
  return tf.concat(outputs, 0);
}

function writtenOut(nodes: readonly RnnNode[], x: tf.Tensor, h0: tf.Tensor, w0h: tf.Tensor, ws: tf.Tensor[]): tf.Tensor {
  return highwayCellSequence(nodes, x as tf.Tensor3D, h0 as tf.Tensor2D, { w0h: w0h as tf.Tensor2D, nodes: ws as tf.Tensor2D[] });
}

/** Outputs weighted by fixed random values, so that every output element's gradient counts differently. */
const weighted = (cell: typeof writtenOut, nodes: readonly RnnNode[]) => (x: tf.Tensor, h0: tf.Tensor, w0h: tf.Tensor, ...ws: tf.Tensor[]) =>
  tf.mul(cell(nodes, tf.mul(x, 2), h0, tf.mul(w0h, 2), ws.map((w) => tf.mul(w, 2))), tf.randomNormal([T * B, H], 0, 1, 'float32', 5));

const inputs: Input[] = [{ shape: [T, B, 2 * H] }, { shape: [B, H] }, { shape: [H, 2 * H] }, ...Array.from({ length: 12 }, () => ({ shape: [H, 2 * H] }))];

// Every activation, states read by several nodes, and a few sampled cells.
const ALL_ACTIVATIONS = rnnCellSpace.parse('0 tanh|1 relu|1 sigmoid|2 identity|0 relu|3 tanh|5 sigmoid|4 identity|7 relu|8 tanh|6 identity|10 sigmoid');
const cells = [ALL_ACTIVATIONS, ...[1, 2, 3].map((s) => rnnCellSpace.sample(Rng.seeded(s)))];

describe('highwayCellSequence', () => {
  beforeAll(async () => {
    await initEngine('wasm');
  });

  it.each(cells.map((c) => [rnnCellSpace.format(c), c] as const))('equals the autodiff cell, outputs and gradients, on cpu and wasm (%s)', async (_name, cell) => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const seed = freshSeed();
      const err = compareFormulations(weighted(autodiffCell, cell.nodes), weighted(writtenOut, cell.nodes), inputs, seed);
      expect(err, `${backend}, seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('computes the same on wasm as on cpu', async () => {
    const seed = freshSeed();
    const { relError, worst } = await compareWithCpu(weighted(writtenOut, ALL_ACTIVATIONS.nodes), inputs, seed);
    expect(relError, `${worst}, seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it('frees everything but its gradients', async () => {
    await tf.setBackend('wasm');
    const vars = inputs.map((input) => tf.variable(tf.randomNormal(input.shape, 0, 0.3)));
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.sum(writtenOut(ALL_ACTIVATIONS.nodes, vars[0]!, vars[1]!, vars[2]!, vars.slice(3))) as tf.Scalar);
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(vars);
  });
});
