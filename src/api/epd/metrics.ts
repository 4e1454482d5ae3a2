import type { Tensorflow } from '../plugin.js';
import type { Epd } from './model.js';

/** Share of pairs with different true values that the predictions order the same way; null without such pairs. */
export function pairwiseAccuracy(predicted: readonly number[], truth: readonly number[]): number | null {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < truth.length; i++) {
    for (let j = i + 1; j < truth.length; j++) {
      if (truth[i] === truth[j]) continue;
      pairs++;
      if (Math.sign(predicted[i]! - predicted[j]!) === Math.sign(truth[i]! - truth[j]!)) agree++;
    }
  }
  return pairs === 0 ? null : agree / pairs;
}

/** At most `max` items, evenly spread over `xs` and in its order: keeps a per-iteration record small. */
export function spread<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  return Array.from({ length: max }, (_, i) => xs[Math.floor((i * xs.length) / max)]!);
}

/** The predictor's outputs (no dropout) for a batch of token sequences. */
export function predictTokens(tf: Tensorflow, epd: Epd, sequences: readonly (readonly number[])[]): number[] {
  if (sequences.length === 0) return [];
  const predicted = tf.tidy(() => epd.predict(epd.encode(sequences).embedding));
  const values = Array.from(predicted.dataSync());
  predicted.dispose();
  return values;
}

/** Share of sequences that decode(encode(s)) reproduces token for token. */
export function reconstructionAccuracy(tf: Tensorflow, epd: Epd, sequences: readonly (readonly number[])[]): number | null {
  if (sequences.length === 0) return null;
  const decoded = tf.tidy(() => epd.greedyDecode(epd.encode(sequences)));
  const rows = decoded.arraySync() as number[][];
  decoded.dispose();
  return rows.filter((row, i) => row.every((t, p) => t === sequences[i]![p])).length / sequences.length;
}
