import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, type Arch, type SearchSpace, type Tensorflow } from '../../src/api/index.js';
import { loadTensorflow } from '../helpers/tensorflow.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import { adamStep, initialAdam } from '../../methods/enas/adam.js';
import { Controller, type ControllerConfig } from '../../methods/enas/controller.js';
import { readLayout } from '../../methods/enas/layout.js';
import { initialLearner, reinforce, type Rewarded } from '../../methods/enas/reinforce.js';

let tf: Tensorflow;
beforeAll(async () => {
  tf = await loadTensorflow();
});

const spaces: [string, SearchSpace<Arch>][] = [
  ['nb201', nb201Space as unknown as SearchSpace<Arch>],
  ['cnn-micro', cnnMicroSpace as unknown as SearchSpace<Arch>],
  ['rnn-cell', rnnCellSpace as unknown as SearchSpace<Arch>],
];

const LSTM: ControllerConfig = { policy: 'lstm', hidden: 8, temperature: 1, inputTanh: 1.1, opTanh: 0.44 };

describe('ENAS grammar layout', () => {
  it('treats every NAS-Bench-201 edge as an op choice', () => {
    const layout = readLayout(nb201Space.grammar);
    expect(layout.positions.map((p) => p.kind)).toEqual(Array(6).fill('op'));
    expect(layout.inputValues).toBe(0);
  });

  it('finds the node inputs of cnn-micro, with fresh anchors where the reduction cell starts', () => {
    const { positions } = readLayout(cnnMicroSpace.grammar);
    expect(positions.map((p) => p.kind)).toEqual(Array.from({ length: 40 }, (_, p) => (p % 2 === 0 ? 'input' : 'op')));
    const arrivals = (p: number) => {
      const pos = positions[p]!;
      return pos.kind === 'input' ? pos.arrivals : null;
    };
    // Normal cell: both cell inputs first, then node k−1's output when node k starts.
    expect([0, 2, 4, 6, 8, 10, 12, 16].map(arrivals)).toEqual([[0, 1], [], [2], [], [3], [], [4], [5]]);
    // Reduction cell: its inputs are new states although their numbers repeat.
    expect([20, 22, 24].map(arrivals)).toEqual([[0, 1], [], [2]]);
  });

  it('finds the previous-state choices of rnn-cell, one new state per node', () => {
    const { positions, inputValues } = readLayout(rnnCellSpace.grammar);
    expect(positions.map((p) => p.kind)).toEqual(Array.from({ length: 24 }, (_, p) => (p % 2 === 0 ? 'input' : 'op')));
    positions.forEach((pos, p) => {
      if (pos.kind === 'input') expect(pos.arrivals).toEqual([p / 2]);
    });
    expect(inputValues).toBe(12);
  });
});

describe.each(spaces)('ENAS controller on %s', (_, space) => {
  it.each(['lstm', 'table'] as const)('%s: samples valid sequences whose log-probability and entropy it scores the same', (policy) => {
    const controller = new Controller(readLayout(space.grammar), { ...LSTM, policy });
    const rng = Rng.seeded(1);
    const weights = controller.initialWeights(rng);
    const samples = controller.sample(tf, weights, rng, 4);
    expect(samples).toHaveLength(4);
    for (const s of samples) {
      s.tokens.forEach((t, p) => expect(space.grammar.allowed(p)).toContain(t));
      expect(space.toTokens(space.fromTokens(s.tokens)).length).toBe(space.grammar.length);
      expect(s.logProb).toBeLessThan(0);
      expect(s.entropy).toBeGreaterThan(0);
    }
    const scored = controller.score(tf, weights, samples.map((s) => s.tokens));
    scored.forEach((s, i) => {
      expect(s.logProb).toBeCloseTo(samples[i]!.logProb, 4);
      expect(s.entropy).toBeCloseTo(samples[i]!.entropy, 4);
    });
  });
});

describe('ENAS controller learning', () => {
  it('the REINFORCE gradient matches finite differences of the log-probabilities', () => {
    const controller = new Controller(readLayout(rnnCellSpace.grammar), { ...LSTM, hidden: 4 });
    const rng = Rng.seeded(2);
    const weights = controller.initialWeights(rng);
    const batch = controller.sample(tf, weights, rng, 3).map((s, i) => ({ tokens: s.tokens, advantage: [1.5, -0.5, 0.25][i]! }));
    const loss = () => {
      const scored = controller.score(tf, weights, batch.map((s) => s.tokens));
      return -batch.reduce((sum, s, i) => sum + s.advantage * scored[i]!.logProb, 0) / batch.length;
    };
    const { loss: reported, gradients } = controller.gradient(tf, weights, batch);
    expect(reported).toBeCloseTo(loss(), 3);
    // A few coordinates of every weight (central differences; float32 bounds the precision).
    for (const spec of controller.specs) {
      const w = weights.get(spec.name)!;
      for (const i of [0, Math.floor(w.length / 2), w.length - 1]) {
        const keep = w[i]!;
        w[i] = keep + 1e-2;
        const up = loss();
        w[i] = keep - 1e-2;
        const down = loss();
        w[i] = keep;
        expect(gradients.get(spec.name)![i]!, `${spec.name}[${i}]`).toBeCloseTo((up - down) / 2e-2, 2);
      }
    }
  });

  it.each(spaces)('%s: an update raises the probability of the sequence that beat the baseline and lowers the others', (_, space) => {
    for (const policy of ['lstm', 'table'] as const) {
      const controller = new Controller(readLayout(space.grammar), { ...LSTM, policy, inputTanh: null, opTanh: null });
      const rng = Rng.seeded(5);
      const learner = initialLearner(controller.initialWeights(rng));
      const good = controller.sample(tf, learner.weights, rng)[0]!.tokens;
      // Different from the good one wherever there is a choice, so that the credit is not shared.
      const other = (shift: number) =>
        good.map((t, p) => {
          const allowed = space.grammar.allowed(p);
          return allowed[(allowed.indexOf(t) + shift) % allowed.length]!;
        });
      const [bad1, bad2] = [other(1), other(2)];
      const logProbs = () => controller.score(tf, learner.weights, [good!, bad1!, bad2!]).map((s) => s.logProb);
      const before = logProbs();
      for (let step = 0; step < 5; step++) {
        const batch = [good!, bad1!, bad2!].map((tokens, i) => ({ tokens, reward: i === 0 ? 1 : 0, entropy: 0 }));
        reinforce(tf, controller, learner, batch, { lr: 0.02, entropyWeight: 0, baselineDecay: 0.9 });
      }
      const after = logProbs();
      expect(after[0]! - before[0]!, policy).toBeGreaterThan(0.3);
      expect(after[1]!, policy).toBeLessThan(before[1]!);
      expect(after[2]!, policy).toBeLessThan(before[2]!);
    }
  });

  // A toy reward from sampling alone: how many NAS-Bench-201 edges are 3×3 convolutions (as in
  // the best cells). The controller starts near uniform (1.2 expected) and must learn it.
  it.each(['lstm', 'table'] as const)('%s: REINFORCE on sampled architectures learns a toy reward', (policy) => {
    const space = nb201Space as unknown as SearchSpace<Arch>;
    const controller = new Controller(readLayout(space.grammar), { ...LSTM, policy, opTanh: 2.5 });
    const rng = Rng.seeded(3);
    const learner = initialLearner(controller.initialWeights(rng));
    const target = Array(6).fill(3);
    const reward = (tokens: readonly number[]) => tokens.filter((t) => t === 3).length;
    const before = controller.score(tf, learner.weights, [target])[0]!.logProb;
    const rewards: number[] = [];
    for (let step = 0; step < 40; step++) {
      const batch: Rewarded[] = controller.sample(tf, learner.weights, rng, 4).map((s) => ({ tokens: s.tokens, reward: reward(s.tokens), entropy: s.entropy }));
      rewards.push(...batch.map((b) => b.reward));
      reinforce(tf, controller, learner, batch, { lr: 0.05, entropyWeight: 0, baselineDecay: 0.9 });
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(rewards.slice(0, 20))).toBeLessThan(2.5);
    expect(mean(rewards.slice(-20))).toBeGreaterThan(5);
    expect(controller.score(tf, learner.weights, [target])[0]!.logProb - before).toBeGreaterThan(5);
    expect(controller.greedy(tf, learner.weights).tokens).toEqual(target);
  });

  it('keeps no tensors across many samples and updates', () => {
    const controller = new Controller(readLayout(rnnCellSpace.grammar), LSTM);
    const rng = Rng.seeded(4);
    const learner = initialLearner(controller.initialWeights(rng));
    const step = () => {
      const batch = controller.sample(tf, learner.weights, rng, 2).map((s) => ({ tokens: s.tokens, reward: s.tokens[1]!, entropy: s.entropy }));
      reinforce(tf, controller, learner, batch, { lr: 0.01, entropyWeight: 0.1, baselineDecay: 0.9 });
      controller.greedy(tf, learner.weights);
    };
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) step();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('Adam’s first step moves every weight by the learning rate against its gradient’s sign', () => {
    const weights = new Map([['w', new Float32Array([1, -2, 0.5])]]);
    const adam = initialAdam(weights);
    adamStep(weights, new Map([['w', new Float32Array([0.3, -7, 0])]]), adam, 0.1);
    expect(Array.from(weights.get('w')!)).toEqual([expect.closeTo(0.9, 6), expect.closeTo(-1.9, 6), 0.5]);
    expect(adam.step).toBe(1);
  });
});
