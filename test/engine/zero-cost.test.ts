import { beforeAll, describe, expect, it } from 'vitest';
import { initEngine } from '../../src/engine/backend.js';
import { Nb201Net, type Nb201NetConfig } from '../../src/engine/nb201-net.js';
import * as tf from '../../src/engine/tf.js';
import { logAbsDeterminant, naswotKernel, naswotScore, nb201Naswot, nb201Synflow, synflowScore, type ProbedNetwork } from '../../src/engine/zero-cost.js';
import { nb201Space } from '../../src/spaces/nb201.js';

beforeAll(async () => {
  await initEngine('wasm');
});

describe('logAbsDeterminant', () => {
  it('is log|det| by hand, with pivoting, and −∞ for a singular matrix', () => {
    // det [[2,1,1],[1,2,0],[1,0,2]] = 2·4 − 1·2 + 1·(−2) = 4
    expect(logAbsDeterminant(Float64Array.from([2, 1, 1, 1, 2, 0, 1, 0, 2]), 3)).toBeCloseTo(Math.log(4), 12);
    // A zero first pivot needs a row swap: det [[0,3],[2,0]] = −6
    expect(logAbsDeterminant(Float64Array.from([0, 3, 2, 0]), 2)).toBeCloseTo(Math.log(6), 12);
    expect(logAbsDeterminant(Float64Array.from([1, 2, 2, 4]), 2)).toBe(-Infinity);
  });
});

/** A "network" whose ReLU inputs are fixed: three inputs, two ReLU layers. */
function fixedCodes(layers: number[][][]): ProbedNetwork {
  return {
    forward(x, _training, { probe }) {
      for (const layer of layers) probe?.(tf.tensor4d(layer.flat(), [layer.length, 1, 1, layer[0]!.length]));
      return tf.zeros([x.shape[0], 1]) as tf.Tensor2D;
    },
  };
}

describe('NASWOT', () => {
  const batch = () => tf.zeros([3, 1, 1, 1]) as tf.Tensor4D;

  it('K = N_A − d_H over the ReLU codes, and its log-determinant, by hand', () => {
    // Codes [1,0], [1,1], [0,0]: N_A = 2, d(0,1) = 1, d(0,2) = 1, d(1,2) = 2.
    const net = fixedCodes([[[1, -1], [2, 3], [-1, 0]]]);
    expect(Array.from(naswotKernel(net, batch()))).toEqual([2, 1, 1, 1, 2, 0, 1, 0, 2]);
    expect(naswotScore(net, batch())).toBeCloseTo(Math.log(4), 12);
  });

  it('sums the kernels of every ReLU layer', () => {
    // Second layer, one unit: codes 1, 0, 1 → [[1,0,1],[0,1,0],[1,0,1]].
    const net = fixedCodes([[[1, -1], [2, 3], [-1, 0]], [[5], [-2], [0.5]]]);
    const k = [3, 1, 2, 1, 3, 0, 2, 0, 3];
    expect(Array.from(naswotKernel(net, batch()))).toEqual(k);
    // det = 3(9) − 1(3) + 2(0 − 6) = 12
    expect(naswotScore(net, batch())).toBeCloseTo(Math.log(12), 12);
  });

  const small: Nb201NetConfig = { inputShape: [8, 8, 3], classes: 10, channels: 2, cellsPerStage: 1 };

  it('counts every ReLU unit of the NB201 network on the kernel diagonal', () => {
    // Two ReLU-conv edges per cell (edge 0 on the cell input, edge 5 on node 2), both reduction
    // blocks' two ReLUs, and the last one: 2·128 + (128 + 64) + 2·64 + (64 + 32) + 2·32 + 32 = 768.
    const arch = nb201Space.parse('|nor_conv_3x3~0|+|none~0|skip_connect~1|+|none~0|none~1|nor_conv_1x1~2|');
    const net = new Nb201Net(arch, small, 1);
    const input = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const k = naswotKernel(net, input);
    for (let i = 0; i < 4; i++) expect(k[i * 4 + i]).toBe(768);
    net.dispose();
    input.dispose();
  });

  it('is −∞ for the all-none cell: no input reaches the ReLUs, so all codes agree', () => {
    const none = nb201Space.parse('|none~0|+|none~0|none~1|+|none~0|none~1|none~2|');
    const input = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    expect(nb201Naswot(none, small, 1, input)).toBe(-Infinity);
    const conv = nb201Space.parse('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|');
    expect(Number.isFinite(nb201Naswot(conv, small, 1, input))).toBe(true);
    input.dispose();
  });
});

describe('synflow', () => {
  it('is Σ|θ·∂R/∂θ| with |θ| and an all-ones input, by hand, and restores the signs', () => {
    // Two 1×1 convolutions (−2, 3) and a linear layer (0.5): R = 2·3·0.5 = 3, each θ·∂R/∂θ = 3.
    const w1 = tf.variable(tf.tensor4d([-2], [1, 1, 1, 1]));
    const w2 = tf.variable(tf.tensor4d([3], [1, 1, 1, 1]));
    const w3 = tf.variable(tf.tensor2d([0.5], [1, 1]));
    const score = synflowScore({
      variables: [w1, w2, w3],
      scored: [w1, w2, w3],
      output: (between) => {
        const a = between(tf.relu(tf.conv2d(tf.ones([1, 1, 1, 1]) as tf.Tensor4D, w1 as tf.Tensor4D, 1, 'valid')));
        const b = between(tf.relu(tf.conv2d(a, w2 as tf.Tensor4D, 1, 'valid')));
        return tf.sum(tf.matMul(tf.reshape(b, [1, 1]), w3 as tf.Tensor2D));
      },
    });
    expect(score).toBeCloseTo(9, 5);
    expect(w1.dataSync()[0]).toBe(-2);
    tf.dispose([w1, w2, w3]);
  });

  it('equals the direct float32 computation on a small NB201 network (no rescaling needed there)', () => {
    const arch = nb201Space.parse('|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|');
    const cfg: Nb201NetConfig = { inputShape: [8, 8, 3], classes: 10, channels: 4, cellsPerStage: 1 };
    const ours = nb201Synflow(arch, cfg, 5);
    const net = new Nb201Net(arch, { ...cfg, batchNorm: false }, 5);
    for (const v of net.params.trainable) v.assign(tf.abs(v));
    const weights = net.params.trainable.filter((v) => v.shape.length !== 1);
    const direct = tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(net.forward(tf.ones([1, 8, 8, 3]) as tf.Tensor4D, false)), weights);
      return weights.reduce((s, v) => s + (tf.sum(tf.mul(v, grads[v.name]!)).dataSync()[0] as number), 0);
    });
    net.dispose();
    expect(Math.abs(ours - direct) / direct).toBeLessThan(1e-4);
  });

  it('stays finite on the benchmark-size network where float32 activations would overflow', () => {
    const arch = nb201Space.parse('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|');
    const score = nb201Synflow(arch, { inputShape: [32, 32, 3], classes: 10, channels: 16, cellsPerStage: 5 }, 1);
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThan(3.4e38);
  });
});
