import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { initEngine } from '../../src/engine/backend.js';
import { CnnMicroNet } from '../../src/engine/cnn-net.js';
import { RnnLm, sparseCrossEntropy } from '../../src/engine/rnn-net.js';
import { Sgd, trainStep } from '../../src/engine/sgd.js';
import type { SupernetBase } from '../../src/engine/supernet.js';
import { findAdapter } from '../../src/engine/webgpu.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import { compareWithCpu, freshSeed, relativeError } from './grad-check.js';
import { convCases, denseCases, f32, shapeCases, t4, TOLERANCE } from './kernel-cases.js';
import { cnnSupernet, halves, rnnSupernet } from './toy-data.js';

// CI installs a software adapter (Mesa's lavapipe, or llvmpipe through OpenGL ES); without one,
// or without the optional packages, the reason is in the suite's name.
const notes: string[] = [];
const adapter = await findAdapter(notes);
const title = adapter ? `on ${adapter.summary.name} (${adapter.summary.api})` : `(skipped: ${notes.join('; ')})`;

/** What a few training steps produce: each step's loss, then every weight. */
interface Trace {
  readonly losses: number[];
  readonly weights: Float32Array;
}

/** Runs `train` on cpu and on webgpu from the same seed; the worst relative error of losses and weights. */
async function traceError(train: () => Trace): Promise<{ losses: number; weights: number }> {
  await tf.setBackend('cpu');
  const reference = train();
  await tf.setBackend('webgpu');
  const actual = train();
  return {
    losses: relativeError(Float32Array.from(reference.losses), Float32Array.from(actual.losses)),
    weights: relativeError(reference.weights, actual.weights),
  };
}

/** Three training steps on sampled architectures, then the validation loss of another. */
function supernetTrace<A>(net: SupernetBase<A>, sample: (rng: Rng) => A): Trace {
  const rng = Rng.seeded(9);
  const losses = [0, 1, 2].map(() => net.trainStep(sample(rng)));
  losses.push(net.score(sample(rng), 2, true).metrics.valid_loss!);
  const weights = flat(net.variables);
  net.dispose();
  return { losses, weights };
}

const flat = (vars: readonly tf.Variable[]) => Float32Array.from(vars.flatMap((v) => Array.from(v.dataSync())));
const SGD = { lr: 0.05, lrMin: 0, momentum: 0.9, weightDecay: 1e-4, gradClip: 5 };

describe.skipIf(adapter === null)(`WebGPU training kernels match the cpu backend ${title}`, () => {
  beforeAll(async () => {
    const info = await initEngine('webgpu');
    expect(info.backend).toBe('webgpu');
  });

  it('reads tensors back synchronously, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    const values = tf.tidy(() => tf.add(tf.range(0, 70_000), 1).dataSync());
    expect(values.length).toBe(70_000);
    expect(values[0]).toBe(1);
    expect(values[69_999]).toBe(70_000);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('fails the next read when the device reports an error, instead of reading zeros', () => {
    const device = (tf.backend() as unknown as { device: { createBuffer(d: object): { destroy(): void } } }).device;
    // A buffer with no usage is invalid: WebGPU reports that as an event, not an exception.
    device.createBuffer({ size: 4, usage: 0 }).destroy();
    // Large enough to run on the device (tfjs computes small tensors whose values it holds on the CPU).
    const sum = () => tf.tidy(() => tf.sum(tf.add(tf.range(0, 5000), 1)).dataSync()[0]);
    expect(sum).toThrow(/webgpu device error: .*usage/i);
    expect(sum()).toBe((5000 * 5001) / 2);
  });

  const cases = [...convCases(), ...denseCases(), ...shapeCases()];
  it.each(cases)('%s', async (_name, f, inputs) => {
    const seed = freshSeed();
    const { relError, worst } = await compareWithCpu(f, inputs, seed, true, 'webgpu');
    expect(relError, `${worst}, seed ${seed}`).toBeLessThanOrEqual(TOLERANCE);
  });

  it('catches a wrong kernel', async () => {
    // An input gradient 0.1 % too large: well above the tolerance, small enough to look plausible.
    const real = tf.getKernel('Conv2DBackpropInput', 'webgpu')!;
    const wrong: tf.KernelFunc = (args) => {
      const out = real.kernelFunc(args) as tf.TensorInfo;
      const scaled = tf.tidy(() => tf.keep(tf.mul(tf.engine().makeTensorFromTensorInfo(out), 1.001)));
      return scaled;
    };
    tf.unregisterKernel('Conv2DBackpropInput', 'webgpu');
    tf.registerKernel({ ...real, kernelFunc: wrong });
    try {
      const { relError } = await compareWithCpu((x, w) => tf.conv2d(t4(x!), t4(w!), 1, 'same'), [f32(2, 6, 6, 3), f32(3, 3, 3, 4)], freshSeed(), true, 'webgpu');
      expect(relError).toBeGreaterThan(TOLERANCE);
    } finally {
      tf.unregisterKernel('Conv2DBackpropInput', 'webgpu');
      tf.registerKernel(real);
    }
  });

  // Whole training steps of what the searches train: every op of each space appears in the
  // sampled architectures (the cnn-micro reference cell has all five).
  it('trains a cnn-micro child as the cpu backend does', async () => {
    const archs = [cnnMicroSpace.sample(Rng.seeded(11)), cnnMicroSpace.sample(Rng.seeded(12))];
    const data = halves(8, 1);
    for (const arch of archs) {
      const err = await traceError(() => {
        const net = new CnnMicroNet(arch, { inputShape: [8, 8, 1], classes: 2, filters: 4, cellsPerStage: 1 }, 3);
        const sgd = new Sgd(net.params.trainable, SGD);
        const x = tf.tensor4d(Float32Array.from(data.images, (p) => p / 255 - 0.5), [8, 8, 8, 1]);
        const y = tf.oneHot(tf.tensor1d(data.labels, 'int32'), 2);
        const losses = [0, 1, 2].map(() => trainStep(net.params.trainable, () => tf.losses.softmaxCrossEntropy(y, net.forward(x, true)) as tf.Scalar, sgd, 0.05));
        const weights = flat(net.params.trainable);
        tf.dispose([x, y]);
        sgd.dispose();
        net.dispose();
        return { losses, weights };
      });
      expect(err.losses, cnnMicroSpace.format(arch)).toBeLessThanOrEqual(TOLERANCE);
      expect(err.weights, cnnMicroSpace.format(arch)).toBeLessThanOrEqual(TOLERANCE);
    }
  });

  it('trains an rnn-cell language model as the cpu backend does', async () => {
    const arch = rnnCellSpace.sample(Rng.seeded(5));
    const err = await traceError(() => {
      const net = new RnnLm(arch, { vocab: 7, hidden: 12, dropout: 0.2 }, 4);
      const sgd = new Sgd(net.params.trainable, { ...SGD, lr: 1 });
      const tokens = tf.tensor2d(Int32Array.from({ length: 6 * 3 }, (_, i) => (i * 5) % 7), [6, 3], 'int32');
      const targets = tf.tensor1d(Int32Array.from({ length: 6 * 3 }, (_, i) => (i * 5 + 1) % 7), 'int32');
      const losses = [0, 1, 2].map((step) =>
        trainStep(net.params.trainable, () => sparseCrossEntropy(net.forward(tokens, net.initialState(3), true, step).logits, targets), sgd, 1),
      );
      const weights = flat(net.params.trainable);
      tf.dispose([tokens, targets]);
      sgd.dispose();
      net.dispose();
      return { losses, weights };
    });
    expect(err.losses).toBeLessThanOrEqual(TOLERANCE);
    expect(err.weights).toBeLessThanOrEqual(TOLERANCE);
  });

  it('trains and scores the cnn-micro supernet as the cpu backend does', async () => {
    const err = await traceError(() => supernetTrace(cnnSupernet(2), (rng) => cnnMicroSpace.sample(rng)));
    expect(err.losses).toBeLessThanOrEqual(TOLERANCE);
    expect(err.weights).toBeLessThanOrEqual(TOLERANCE);
  });

  it('trains and scores the rnn-cell supernet as the cpu backend does', async () => {
    const err = await traceError(() => supernetTrace(rnnSupernet(2), (rng) => rnnCellSpace.sample(rng)));
    expect(err.losses).toBeLessThanOrEqual(TOLERANCE);
    expect(err.weights).toBeLessThanOrEqual(TOLERANCE);
  });
});
