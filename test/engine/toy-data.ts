import { Rng } from '../../src/api/index.js';
import type { ImageData } from '../../src/engine/image-batches.js';
import type { SupernetTraining } from '../../src/engine/supernet.js';
import { CnnSupernet } from '../../src/engine/supernet-cnn.js';
import { RnnSupernet } from '../../src/engine/supernet-rnn.js';

/** Two classes a CNN can tell apart: a bright left half or a bright right half, with noise. */
export function halves(count: number, seed: number, side = 8): ImageData {
  const rng = Rng.seeded(seed);
  const images = new Uint8Array(count * side * side);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = rng.int(2);
    for (let p = 0; p < side * side; p++) images[i * side * side + p] = ((p % side < side / 2) === (labels[i] === 0) ? 160 : 60) + rng.int(60);
  }
  return { images, labels, count, height: side, width: side, channels: 1 };
}

/** A corpus with structure to learn: a noisy cycle over the vocabulary. */
export function cycle(length: number, vocab: number, seed: number): Int32Array {
  const rng = Rng.seeded(seed);
  return Int32Array.from({ length }, (_, i) => (rng.int(10) === 0 ? rng.int(vocab) : i % vocab));
}

export const TRAINING: SupernetTraining = { lr: 0.05, lrMin: 0.001, momentum: 0.9, weightDecay: 1e-4, gradClip: 5, epochs: 4 };

export function cnnSupernet(seed: number, options: { side?: number; filters?: number; train?: number; batch?: number } = {}): CnnSupernet {
  const side = options.side ?? 8;
  return new CnnSupernet(
    { inputShape: [side, side, 1], classes: 2, filters: options.filters ?? 2, cellsPerStage: 1 },
    { train: halves(options.train ?? 16, 1, side), valid: halves(8, 2, side) },
    { batchSize: options.batch ?? 4, validBatchSize: 4, augment: { padCrop: 1, flip: false, cutout: 2 }, training: TRAINING },
    seed,
  );
}

export function rnnSupernet(seed: number, options: { hidden?: number; bptt?: number; tokens?: number; training?: Partial<SupernetTraining> } = {}): RnnSupernet {
  const corpus = { train: cycle(options.tokens ?? 120, 6, 1), valid: cycle(60, 6, 2) };
  return new RnnSupernet(
    { vocab: 6, hidden: options.hidden ?? 8, dropout: 0.2 },
    corpus,
    { batchSize: 4, bptt: options.bptt ?? 5, evalBatchSize: 2, training: { ...TRAINING, lr: 1, momentum: 0.5, ...options.training } },
    seed,
  );
}
