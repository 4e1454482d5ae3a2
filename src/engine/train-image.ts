import * as tf from './tf.js';
import { Rng } from '../api/index.js';
import type { Params } from './params.js';
import { channelStats, fillBatch, NO_AUGMENTATION, type Augmentation, type ImageData } from './image-batches.js';
import { cosineLr, Sgd, trainStep, type SgdConfig } from './sgd.js';

export interface ImageTrainConfig extends SgdConfig {
  readonly epochs: number;
  readonly batchSize: number;
  readonly augment: Augmentation;
}

/** What the image trainer needs of a network: its variables, its class count and a forward pass. */
export interface ImageClassifier {
  readonly params: Params;
  readonly config: { readonly classes: number };
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D;
}

export interface TrainProgress {
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
}

export interface TrainOutcome {
  readonly status: 'ok' | 'diverged';
  readonly metrics: Record<string, number>;
  readonly steps: number;
  readonly error?: string;
}

function batchTensors(data: ImageData, indices: readonly number[], stats: { mean: number[]; std: number[] }, aug: Augmentation, rng: Rng | null) {
  const { height: h, width: w, channels: c } = data;
  const pixels = new Float32Array(indices.length * h * w * c);
  const labels = new Int32Array(indices.length);
  fillBatch(data, indices, stats, aug, rng, pixels, labels);
  return { x: tf.tensor4d(pixels, [indices.length, h, w, c]), y: tf.tensor1d(labels, 'int32') };
}

/** Accuracy (%) and mean cross-entropy of `net` on a data set, with running batch-norm statistics. */
export function evaluateImages(net: ImageClassifier, data: ImageData, stats: { mean: number[]; std: number[] }, batchSize: number): { accuracy: number; loss: number } {
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < data.count; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, data.count - start) }, (_, i) => start + i);
    const [hits, loss] = tf.tidy(() => {
      const { x, y } = batchTensors(data, indices, stats, NO_AUGMENTATION, null);
      const logits = net.forward(x, false);
      const ce = tf.sum(tf.losses.softmaxCrossEntropy(tf.oneHot(y, net.config.classes), logits, undefined, undefined, tf.Reduction.NONE));
      return [tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'int32')).dataSync()[0] as number, ce.dataSync()[0] as number];
    });
    correct += hits;
    lossSum += loss;
  }
  return { accuracy: (100 * correct) / data.count, loss: lossSum / data.count };
}

/**
 * Trains a CNN child with SGD + cosine schedule, then measures it. A non-finite loss stops
 * training and reports the child as diverged. The data order and augmentation follow `seed`.
 */
export function trainImageClassifier(
  net: ImageClassifier,
  train: ImageData,
  evalSets: Readonly<Record<string, ImageData>>,
  cfg: ImageTrainConfig,
  seed: number,
  onProgress?: (p: TrainProgress) => void,
): TrainOutcome {
  const rng = Rng.seeded(seed);
  const stats = channelStats(train);
  const stepsPerEpoch = Math.floor(train.count / cfg.batchSize);
  const steps = stepsPerEpoch * cfg.epochs;
  const sgd = new Sgd(net.params.trainable, cfg);
  let step = 0;
  let lastLoss = NaN;
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      const order = rng.shuffled(Array.from({ length: train.count }, (_, i) => i));
      for (let b = 0; b < stepsPerEpoch; b++, step++) {
        const indices = order.slice(b * cfg.batchSize, (b + 1) * cfg.batchSize);
        const { x, y } = batchTensors(train, indices, stats, cfg.augment, rng);
        try {
          lastLoss = trainStep(
            net.params.trainable,
            () => tf.losses.softmaxCrossEntropy(tf.oneHot(y, net.config.classes), net.forward(x, true)) as tf.Scalar,
            sgd,
            cosineLr(cfg, step, steps),
          );
        } finally {
          x.dispose();
          y.dispose();
        }
        if (!Number.isFinite(lastLoss)) {
          return { status: 'diverged', metrics: { train_loss: lastLoss }, steps: step, error: `training loss became ${lastLoss} at step ${step} of ${steps}` };
        }
        onProgress?.({ step: step + 1, steps, loss: lastLoss });
      }
    }
  } finally {
    sgd.dispose();
  }
  const metrics: Record<string, number> = { train_loss: lastLoss };
  for (const [name, data] of Object.entries(evalSets)) {
    const { accuracy, loss } = evaluateImages(net, data, stats, 256);
    metrics[`${name}_acc`] = accuracy;
    metrics[`${name}_error`] = 100 - accuracy;
    metrics[`${name}_loss`] = loss;
  }
  return { status: 'ok', metrics, steps };
}
