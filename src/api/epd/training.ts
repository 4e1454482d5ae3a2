import type { Rng } from '../rng.js';
import type { Tensorflow } from '../plugin.js';
import type { Epd } from './model.js';
import type { TrainingConfig } from './settings.js';
import type { Scalar } from '../kit/tensors.js';

/** One evaluated architecture as the EPD learns it. */
export interface Example {
  readonly tokens: readonly number[];
  /** Min-max normalised score in [0, 1]. */
  readonly target: number;
  /** The same network written differently (space.equivalents), for augmentation. */
  readonly rewritings: readonly (readonly number[])[];
}

interface Item {
  readonly tokens: readonly number[];
  readonly target: number;
}

/**
 * The published joint loss: λ·MSE of the predictor plus (1−λ)·NLL of the decoder reconstructing
 * its input. Returns the two parts and the total.
 */
export function epdLoss(
  tf: Tensorflow,
  epd: Epd,
  items: readonly Item[],
  tradeOff: number,
  dropout?: { rate: number; seed: number },
): { mse: Scalar; nll: Scalar; total: Scalar } {
  const sequences = items.map((i) => i.tokens);
  const encoding = epd.encode(sequences);
  const predicted = epd.predict(encoding.embedding, dropout);
  const mse = tf.mean(tf.square(tf.sub(predicted, tf.tensor1d(items.map((i) => i.target))))) as Scalar;
  const targets = tf.oneHot(tf.tensor2d(sequences.map((s) => [...s]), undefined, 'int32'), epd.config.vocabSize);
  const nll = tf.div(tf.neg(tf.sum(tf.mul(epd.logProbs(encoding, sequences), targets))), items.length * epd.config.length) as Scalar;
  return { mse, nll, total: tf.add(tf.mul(tradeOff, mse), tf.mul(1 - tradeOff, nll)) };
}

/** Each epoch: every example plus `augment` of its rewritings (drawn from the rng), in an rng-shuffled order. */
function epochItems(examples: readonly Example[], augment: number, rng: Rng): Item[] {
  const items: Item[] = [];
  for (const e of examples) {
    items.push(e);
    const extra = Math.min(augment, e.rewritings.length);
    if (extra > 0) for (const tokens of rng.sample(e.rewritings, extra)) items.push({ tokens, target: e.target });
  }
  return rng.shuffled(items);
}

/**
 * Continues training the EPD for `epochs` epochs with Adam (a fresh optimizer each call: the
 * weights are all an iteration hands to the next, which keeps snapshots to the weights alone),
 * L2 weight decay added to the gradients as in PyTorch's Adam, and the gradients clipped to a
 * global norm. Returns the number of optimizer steps.
 */
export function trainEpd(tf: Tensorflow, epd: Epd, examples: readonly Example[], cfg: TrainingConfig, augment: number, rng: Rng): number {
  const optimizer = tf.train.adam(cfg.lr);
  const variables = epd.trainable;
  let steps = 0;
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const items = epochItems(examples, augment, rng);
      for (let at = 0; at < items.length; at += cfg.batchSize) {
        const batch = items.slice(at, at + cfg.batchSize);
        const seed = rng.int(2 ** 31);
        tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => epdLoss(tf, epd, batch, cfg.tradeOff, { rate: cfg.dropout, seed }).total, variables);
          const loss = value.dataSync()[0]!;
          if (!Number.isFinite(loss)) diverged(`the training loss is ${loss} at epoch ${epoch + 1}`, cfg);
          const decayed = variables.map((v) => (cfg.weightDecay > 0 ? tf.add(grads[v.name]!, tf.mul(v, cfg.weightDecay)) : grads[v.name]!));
          const norm = tf.sqrt(tf.addN(decayed.map((g) => tf.sum(tf.square(g)))));
          const scale = cfg.gradClip > 0 ? tf.minimum(1, tf.div(cfg.gradClip, tf.add(norm, 1e-6))) : tf.scalar(1);
          optimizer.applyGradients(Object.fromEntries(variables.map((v, k) => [v.name, tf.mul(decayed[k]!, scale)])));
        });
        steps++;
      }
    }
    // The last step's loss was finite, but its update may not have been.
    if (!variables.every((v) => tf.tidy(() => tf.all(tf.isFinite(v)).dataSync()[0] === 1))) diverged(`the weights are not finite numbers after ${steps} steps`, cfg);
  } finally {
    optimizer.dispose();
  }
  return steps;
}

/**
 * A predictor or decoder in NaN would rank every architecture alike and propose one over and over
 * while the run looks healthy: the searcher stops, and the run fails with the reason.
 */
function diverged(what: string, cfg: TrainingConfig): never {
  throw new Error(`NAO encoder-predictor-decoder: ${what}; lr ${cfg.lr}: a smaller lr keeps it in range`);
}
