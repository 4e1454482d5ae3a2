import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { initEngine } from '../../src/engine/backend.js';
import type { SupernetBase } from '../../src/engine/supernet.js';
import { normalize } from '../../src/engine/supernet-cnn.js';
import * as tf from '../../src/engine/tf.js';
import { RunSupernet } from '../../src/harness/supernet.js';
import type { Arch } from '../../src/api/index.js';
import { cnnMicroSpace, type CnnMicroArch } from '../../src/spaces/cnn-micro.js';
import { rnnCellSpace, type RnnCellArch } from '../../src/spaces/rnn-cell.js';
import { cnnSupernet, rnnSupernet } from './toy-data.js';

// The cpu backend: the reference whose results are exact from run to run.
beforeAll(async () => {
  await initEngine('cpu');
});

const values = (vars: readonly tf.Variable[]) => vars.map((v) => v.dataSync().slice() as Float32Array);
const same = (a: Float32Array, b: Float32Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

interface Kind<A> {
  readonly name: string;
  make(seed: number): SupernetBase<A>;
  sample(rng: Rng): A;
  objective: string;
}

const KINDS: [Kind<CnnMicroArch>, Kind<RnnCellArch>] = [
  { name: 'cnn-micro', make: (seed) => cnnSupernet(seed), sample: (rng) => cnnMicroSpace.sample(rng), objective: 'valid_acc' },
  { name: 'rnn-cell', make: (seed) => rnnSupernet(seed), sample: (rng) => rnnCellSpace.sample(rng), objective: 'valid_ppl' },
];

describe.each(KINDS as Kind<unknown>[])('$name supernet', (kind) => {
  it('a training step changes exactly the weights the architecture uses', () => {
    const net = kind.make(1);
    const rng = Rng.seeded(2);
    for (let round = 0; round < 3; round++) {
      const arch = kind.sample(rng);
      const used = new Set(net.usedBy(arch));
      expect(used.size).toBeGreaterThan(3);
      expect(used.size).toBeLessThan(net.variables.length);
      const before = values(net.variables);
      expect(Number.isFinite(net.trainStep(arch))).toBe(true);
      const after = values(net.variables);
      net.variables.forEach((v, i) => {
        // Used weights move (gradient plus weight decay); the others keep every bit, momentum included.
        expect(same(before[i]!, after[i]!), `${v.name} (${used.has(v) ? 'used' : 'unused'})`).toBe(!used.has(v));
      });
    }
    net.dispose();
  });

  it('an architecture’s score depends on the weights it uses and on no others', () => {
    const net = kind.make(3);
    const rng = Rng.seeded(4);
    const arch = kind.sample(rng);
    for (let i = 0; i < 3; i++) net.trainStep(kind.sample(rng));
    const used = new Set(net.usedBy(arch));
    const reference = net.score(arch, 2, true).metrics.valid_loss!;
    const noise = (v: tf.Variable, k: number) => tf.tidy(() => v.assign(tf.add(v, tf.randomNormal(v.shape, 0, 0.3, 'float32', k))));
    net.variables.filter((v) => !used.has(v)).forEach(noise);
    expect(net.score(arch, 2, true).metrics.valid_loss).toBe(reference);
    const picked = Rng.seeded(5).sample([...used], 8);
    for (const [k, v] of picked.entries()) {
      const saved = v.dataSync().slice();
      noise(v, 100 + k);
      expect(net.score(arch, 2, true).metrics.valid_loss, v.name).not.toBe(reference);
      tf.tidy(() => v.assign(tf.tensor(saved, v.shape)));
    }
    net.dispose();
  });

  it('scores deterministically on the fixed batches and moves on through the validation split otherwise', () => {
    const net = kind.make(6);
    const arch = kind.sample(Rng.seeded(7));
    net.trainStep(arch);
    const fixed = net.score(arch, 2, true);
    expect(fixed.batches).toBe(2);
    expect(Object.keys(fixed.metrics).sort()).toEqual([kind.objective, 'valid_loss'].sort());
    const unfixed = [net.score(arch, 1, false), net.score(arch, 1, false)];
    expect(net.score(arch, 2, true)).toEqual(fixed);
    // A second supernet in the same state draws the same unfixed batches.
    const twin = kind.make(6);
    twin.trainStep(arch);
    expect([twin.score(arch, 1, false), twin.score(arch, 1, false)]).toEqual(unfixed);
    [net, twin].forEach((n) => n.dispose());
  });

  it('continues exactly from a snapshot: the same weights, momentum, data order and scores as without one', () => {
    const rng = Rng.seeded(8);
    const archs = Array.from({ length: 9 }, () => kind.sample(rng));
    const run = (net: SupernetBase<unknown>, from: number) => {
      const losses = archs.slice(from).map((a) => net.trainStep(a));
      return { losses, scores: [net.score(archs[0], 1, false), net.score(archs[1], 2, true)], weights: values(net.variables) };
    };
    const straight = kind.make(9);
    expect(straight.epochSteps).toBeLessThan(archs.length); // crosses an epoch boundary
    archs.slice(0, 4).forEach((a) => straight.trainStep(a));
    straight.score(archs[2], 1, false);
    const state = JSON.parse(JSON.stringify(straight.snapshot()));
    const expected = run(straight, 4);

    const resumed = kind.make(9);
    resumed.trainStep(archs[5]); // whatever it did before is overwritten
    resumed.restore(state);
    expect(resumed.step).toBe(4);
    const got = run(resumed, 4);
    expect(got.losses).toEqual(expected.losses);
    expect(got.scores).toEqual(expected.scores);
    got.weights.forEach((w, i) => expect(same(w, expected.weights[i]!), resumed.variables[i]!.name).toBe(true));
    [straight, resumed].forEach((n) => n.dispose());
  });

  it('refuses a snapshot of another supernet', () => {
    const net = kind.make(1);
    const other = kind.name === 'cnn-micro' ? cnnSupernet(1, { filters: 3 }) : rnnSupernet(1, { hidden: 6 });
    expect(() => net.restore(other.snapshot())).toThrow(/^supernet snapshot: it holds a \S+ supernet of \d+ weights, this run's is a \S+ supernet of \d+$/);
    expect(() => net.restore({ kind: kind.name, size: net.size, step: 0, validCursor: 0, weights: 'AAAAAA==', momentum: null })).toThrow(
      `supernet snapshot: weights holds 1 values, this supernet needs ${net.size}`,
    );
    [net, other].forEach((n) => n.dispose());
  });
});

describe('batch normalisation without affine parameters', () => {
  it('equals tf.batchNorm on the batch statistics, forward and backward', () => {
    const x = tf.randomNormal([3, 4, 4, 5], 1, 2, 'float32', 1) as tf.Tensor4D;
    const dy = tf.randomNormal([3, 4, 4, 5], 0, 1, 'float32', 2);
    const reference = (t: tf.Tensor4D) => {
      const { mean, variance } = tf.moments(t, [0, 1, 2]);
      return tf.batchNorm(t, mean, variance, tf.zeros([5]), tf.ones([5]), 1e-5);
    };
    const close = (a: tf.Tensor, b: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(1e-5);
    close(normalize(x), reference(x));
    const grad = (f: (t: tf.Tensor4D) => tf.Tensor) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t as tf.Tensor4D), dy)))(x);
    const [mine, theirs] = [grad(normalize), grad(reference)];
    expect(tf.max(tf.abs(theirs)).dataSync()[0]).toBeGreaterThan(0.01);
    close(mine, theirs);
  });
});

describe('supernet memory', () => {
  it('stays bounded over thousands of steps: no tensor, variable or byte left behind', () => {
    const rng = Rng.seeded(10);
    // Steps are shared out by cost: a CNN step does about three times the work of an LM step here.
    const nets = [
      { net: cnnSupernet(1, { side: 4, filters: 1, train: 8, batch: 2 }) as SupernetBase<unknown>, sample: (r: Rng) => cnnMicroSpace.sample(r) as unknown, share: 1 },
      { net: rnnSupernet(1, { hidden: 2, bptt: 2, tokens: 40 }) as SupernetBase<unknown>, sample: (r: Rng) => rnnCellSpace.sample(r) as unknown, share: 3 },
    ];
    const work = (steps: number) => {
      for (const { net, sample, share } of nets) {
        for (let i = 0; i < steps * share; i++) {
          const arch = sample(rng);
          net.trainStep(arch);
          if (i % 10 === 0) net.score(arch, 1, i % 20 === 0);
        }
        if (steps > 10) JSON.stringify(net.snapshot());
      }
    };
    work(20); // every lazily made constant exists from here on
    const before = tf.memory();
    work(STEPS / 4);
    const after = tf.memory();
    expect(nets.map((n) => n.net.step)).toEqual([20 + STEPS / 4, 3 * (20 + STEPS / 4)]);
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
    const live = tf.memory().numTensors;
    nets.forEach((n) => n.net.dispose());
    expect(tf.memory().numTensors).toBeLessThan(live - 100);
  }, 600_000);
});

/** Training steps in the memory test, over both networks. */
const STEPS = 2000;

describe('supernet training', () => {
  it('learns: shared weights trained on sampled architectures classify held-out images', () => {
    const net = cnnSupernet(11, { train: 64, batch: 8 });
    const rng = Rng.seeded(12);
    const archs = Array.from({ length: 4 }, () => cnnMicroSpace.sample(rng));
    const first = archs.map((a) => net.score(a, 2, true).metrics.valid_loss!);
    for (let i = 0; i < 24; i++) net.trainStep(archs[i % archs.length]!);
    const last = archs.map((a) => net.score(a, 2, true).metrics);
    expect(last.map((m) => m.valid_loss!).reduce((a, b) => a + b)).toBeLessThan(first.reduce((a, b) => a + b));
    expect(Math.max(...last.map((m) => m.valid_acc!))).toBeGreaterThanOrEqual(75);
    net.dispose();
  });

  it('learns: a language model trained on sampled cells predicts a cyclic corpus with any cell', () => {
    // Plain SGD with a large rate and tight clipping, as language models are trained.
    const net = rnnSupernet(15, { hidden: 16, tokens: 400, training: { lr: 5, lrMin: 5, momentum: 0, gradClip: 0.5 } });
    const rng = Rng.seeded(16);
    const probes = Array.from({ length: 3 }, () => rnnCellSpace.sample(rng));
    const ppl = () => probes.map((a) => net.score(a, net.validBatches, true).metrics.valid_ppl!);
    const before = ppl();
    for (let i = 0; i < 60; i++) net.trainStep(rnnCellSpace.sample(rng));
    // Six words in a cycle with 10 % noise: uniform guessing is perplexity 6.
    ppl().forEach((p, i) => expect(p).toBeLessThan(Math.min(3, before[i]! / 2)));
    net.dispose();
  });

  it('reports a non-finite loss and leaves every weight as it was', () => {
    const net = cnnSupernet(13);
    const arch = cnnMicroSpace.sample(Rng.seeded(14));
    let diverged = false;
    for (let i = 0; i < 10 && !diverged; i++) {
      const before = values(net.variables);
      const stepBefore = net.step;
      diverged = !Number.isFinite(net.trainStep(arch, 1e30));
      if (diverged) values(net.variables).forEach((w, k) => expect(same(w, before[k]!), net.variables[k]!.name).toBe(true));
      expect(net.step).toBe(stepBefore + 1);
    }
    expect(diverged).toBe(true);
    net.dispose();
  });
});

describe('train() that drives the weights out of range (a plugin asking for lr 1e30)', () => {
  it.each(KINDS as Kind<unknown>[])('$name: every weight and momentum buffer is back as before the call, the call says diverged, and later calls train', async (kind) => {
    const net = kind.make(21);
    const supernet = new RunSupernet(net, (kind.name === 'cnn-micro' ? cnnMicroSpace : rnnCellSpace) as never, () => {});
    const rng = Rng.seeded(22);
    const pick = () => kind.sample(rng) as Arch;
    expect((await supernet.train(3, pick)).diverged).toBe(false);
    const before = net.snapshot() as { weights: string; momentum: string; step: number };
    const tensors = tf.memory().numTensors;
    const wild = await supernet.train(10, pick, { lr: 1e30 });
    // Nothing kept for the undo is left behind (a text supernet also drops its carried state).
    expect(tf.memory().numTensors).toBe(tensors - (kind.name === 'rnn-cell' ? 1 : 0));
    expect(wild.diverged).toBe(true);
    const after = net.snapshot() as typeof before;
    expect(after.weights === before.weights, 'weights').toBe(true);
    expect(after.momentum === before.momentum, 'momentum').toBe(true);
    // The minibatches were consumed: the step counter moved on.
    expect(after.step).toBe(before.step + wild.steps);
    const next = await supernet.train(3, pick);
    expect(next.diverged).toBe(false);
    expect(next.steps).toBe(3);
    expect(Number.isFinite(next.meanLoss)).toBe(true);
    net.dispose();
  });
});
