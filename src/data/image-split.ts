import type { ImageSplit } from './types.js';

/** Joins splits of the same image shape into one, in order (e.g. the five CIFAR-10 training batches). */
export function concatSplits(parts: readonly ImageSplit[]): ImageSplit {
  const [first] = parts;
  if (!first) throw new Error('concatSplits needs at least one split');
  for (const p of parts) {
    if (p.height !== first.height || p.width !== first.width || p.channels !== first.channels) {
      throw new Error(`cannot join ${p.height}×${p.width}×${p.channels} images with ${first.height}×${first.width}×${first.channels} ones`);
    }
  }
  if (parts.length === 1) return first;
  const count = parts.reduce((n, p) => n + p.count, 0);
  const images = new Uint8Array(parts.reduce((n, p) => n + p.images.length, 0));
  const labels = new Uint8Array(count);
  let pixelsAt = 0;
  let labelsAt = 0;
  for (const p of parts) {
    images.set(p.images, pixelsAt);
    labels.set(p.labels, labelsAt);
    pixelsAt += p.images.length;
    labelsAt += p.count;
  }
  return { images, labels, count, height: first.height, width: first.width, channels: first.channels };
}
