import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, type Arch, type SearchSpace, type Tensorflow } from '../../src/api/index.js';
import { loadTensorflow } from '../helpers/tensorflow.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { decodeMoved } from '../../src/api/epd/generation.js';
import { pairwiseAccuracy, predictTokens, reconstructionAccuracy } from '../../src/api/epd/metrics.js';
import { Epd, initialWeights, l2Normalize } from '../../src/api/epd/model.js';
import type { ModelConfig, TrainingConfig } from '../../src/api/epd/settings.js';
import { type Example, trainEpd } from '../../src/api/epd/training.js';
import { weightsFromJson, weightsToJson } from '../../src/api/epd/weights.js';

let tf: Tensorflow;
beforeAll(async () => {
  tf = await loadTensorflow();
});

const space = nb201Space as unknown as SearchSpace<Arch>;
const config: ModelConfig = {
  length: space.grammar.length,
  vocabSize: space.grammar.vocabSize,
  tokensPerStep: 1,
  hidden: 16,
  embedding: 8,
  mlpLayers: 2,
  mlpHidden: 32,
};
const training: TrainingConfig = { epochs: 80, batchSize: 24, lr: 0.02, weightDecay: 1e-4, gradClip: 5, tradeOff: 0.8, dropout: 0.1 };

/** A learnable target: the share of 3×3 convolutions, which NB201 rewards. */
const target = (tokens: readonly number[]) => tokens.filter((t) => t === 3).length / tokens.length;

function pool(n: number, rng: Rng): Example[] {
  const seen = new Map<string, Example>();
  while (seen.size < n) {
    const arch = space.sample(rng);
    const tokens = space.toTokens(arch);
    seen.set(space.format(arch), { tokens, target: target(tokens), rewritings: [] });
  }
  return [...seen.values()];
}

function newEpd(seed: number): Epd {
  const rng = Rng.seeded(seed);
  return new Epd(tf, config, initialWeights(tf, config, () => rng.int(2 ** 31)), (p) => space.grammar.allowed(p));
}

describe('NAO encoder-predictor-decoder', () => {
  it('reconstructs its training architectures after training on a small pool, and learns to rank them', () => {
    const rng = Rng.seeded(1);
    const examples = pool(24, rng);
    const epd = newEpd(2);
    try {
      const before = reconstructionAccuracy(tf, epd, examples.map((e) => e.tokens))!;
      trainEpd(tf, epd, examples, training, 0, rng);
      const after = reconstructionAccuracy(tf, epd, examples.map((e) => e.tokens))!;
      expect(before).toBeLessThan(0.5);
      expect(after).toBeGreaterThanOrEqual(0.9);
      const predicted = predictTokens(tf, epd, examples.map((e) => e.tokens));
      expect(pairwiseAccuracy(predicted, examples.map((e) => e.target))).toBeGreaterThan(0.8);
    } finally {
      epd.dispose();
    }
  });

  it('moving the encoder outputs along the gradient raises the predicted performance', () => {
    const rng = Rng.seeded(3);
    const examples = pool(24, rng);
    const epd = newEpd(4);
    try {
      trainEpd(tf, epd, examples, { ...training, epochs: 10 }, 0, rng);
      const [before, after] = tf.tidy(() => {
        const { outputs } = epd.encode(examples.map((e) => e.tokens));
        const gradient = tf.grad((o) => tf.sum(epd.predict(epd.pool(o))))(outputs);
        const moved = l2Normalize(tf, tf.add(outputs, tf.mul(gradient, 0.5)));
        return [epd.predict(epd.pool(outputs)), epd.predict(epd.pool(moved))];
      });
      const [b, a] = [Array.from(before.dataSync()), Array.from(after.dataSync())];
      tf.dispose([before, after]);
      b.forEach((value, i) => expect(a[i]).toBeGreaterThan(value));
    } finally {
      epd.dispose();
    }
  });

  it('decodes only what the grammar allows, whatever the point in the embedding space', () => {
    const grammar = { length: 6, vocabSize: 5, allowed: (p: number) => (p % 2 === 0 ? [0, 1] : [2, 3, 4]) };
    const masked = new Epd(tf, config, initialWeights(tf, config, () => 7), grammar.allowed);
    try {
      const rows = tf.tidy(() => {
        const outputs = l2Normalize(tf, tf.randomNormal([20, 6, config.hidden], 0, 1, 'float32', 9));
        return masked.greedyDecode({ outputs, embedding: masked.pool(outputs) });
      });
      for (const row of rows.arraySync() as number[][]) row.forEach((t, p) => expect(grammar.allowed(p)).toContain(t));
      rows.dispose();
    } finally {
      masked.dispose();
    }
  });

  it('exports and re-imports its weights bit for bit, through JSON', () => {
    const epd = newEpd(6);
    const weights = epd.export();
    epd.dispose();
    const back = weightsFromJson(JSON.parse(JSON.stringify(weightsToJson(weights))), config);
    expect([...back.keys()]).toEqual([...weights.keys()]);
    for (const [name, w] of weights) expect(back.get(name)!.values).toEqual(w.values);
    expect(() => weightsFromJson(weightsToJson(weights), { ...config, hidden: 17 })).toThrow(/weight encoder\.lstm\.wx has \d+ values, the model needs/);
  });

  it('keeps no tensors after training, generation and disposal', () => {
    const before = tf.memory().numTensors;
    const rng = Rng.seeded(8);
    const examples = pool(12, rng);
    const epd = newEpd(9);
    trainEpd(tf, epd, examples, { ...training, epochs: 2 }, 0, rng);
    const [outputs, gradient] = tf.tidy(() => {
      const { outputs } = epd.encode(examples.map((e) => e.tokens));
      return [outputs, tf.grad((o) => tf.sum(epd.predict(epd.pool(o))))(outputs)];
    });
    decodeMoved(tf, epd, outputs, gradient, 1);
    tf.dispose([outputs, gradient]);
    reconstructionAccuracy(tf, epd, examples.map((e) => e.tokens));
    epd.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('pairwiseAccuracy', () => {
  it('counts the pairs ordered as the truth orders them, skipping ties', () => {
    expect(pairwiseAccuracy([1, 2, 3], [10, 20, 30])).toBe(1);
    expect(pairwiseAccuracy([3, 2, 1], [10, 20, 30])).toBe(0);
    expect(pairwiseAccuracy([1, 3, 2], [10, 20, 30])).toBeCloseTo(2 / 3);
    expect(pairwiseAccuracy([1, 2], [5, 5])).toBeNull();
  });
});
