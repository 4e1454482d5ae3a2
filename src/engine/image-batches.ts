import type { Rng } from '../api/index.js';

/** Images as stored by the loaders: HWC uint8, one label byte each. */
export interface ImageData {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
}

export interface Augmentation {
  /** Random crop after zero-padding by this many pixels (0 = none). */
  readonly padCrop: number;
  readonly flip: boolean;
  /** Side of the cutout square (0 = none), DeVries & Taylor 2017. */
  readonly cutout: number;
}

export const NO_AUGMENTATION: Augmentation = { padCrop: 0, flip: false, cutout: 0 };

/** Per-channel mean and std of the pixels (in [0, 1]) of a data set. */
export function channelStats(data: ImageData): { mean: number[]; std: number[] } {
  const c = data.channels;
  const sum = new Float64Array(c);
  const sq = new Float64Array(c);
  for (let i = 0; i < data.images.length; i++) {
    const v = (data.images[i] as number) / 255;
    sum[i % c]! += v;
    sq[i % c]! += v * v;
  }
  const n = data.images.length / c;
  const mean = Array.from(sum, (s) => s / n);
  return { mean, std: Array.from(sq, (s, k) => Math.sqrt(Math.max(1e-12, s / n - (mean[k] as number) ** 2))) };
}

/**
 * Writes normalised, augmented images `indices` into a [B, H, W, C] float buffer. Augmentation
 * draws from `rng` in a fixed order, so the same seed gives the same batches on every backend.
 */
export function fillBatch(
  data: ImageData,
  indices: readonly number[],
  stats: { mean: number[]; std: number[] },
  aug: Augmentation,
  rng: Rng | null,
  out: Float32Array,
  labels: Int32Array,
): void {
  const { height: h, width: w, channels: c } = data;
  const plane = h * w * c;
  indices.forEach((index, b) => {
    const dy = aug.padCrop && rng ? rng.int(2 * aug.padCrop + 1) - aug.padCrop : 0;
    const dx = aug.padCrop && rng ? rng.int(2 * aug.padCrop + 1) - aug.padCrop : 0;
    const flip = aug.flip && rng ? rng.int(2) === 1 : false;
    const cy = aug.cutout && rng ? rng.int(h) : -1e9;
    const cx = aug.cutout && rng ? rng.int(w) : -1e9;
    const half = aug.cutout / 2;
    const src = index * plane;
    const dst = b * plane;
    for (let y = 0; y < h; y++) {
      const sy = y + dy;
      for (let x = 0; x < w; x++) {
        const sx = (flip ? w - 1 - x : x) + dx;
        const inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
        const cut = Math.abs(y - cy) < half && Math.abs(x - cx) < half;
        for (let k = 0; k < c; k++) {
          const mean = stats.mean[k] as number;
          const v = inside && !cut ? (data.images[src + (sy * w + sx) * c + k] as number) / 255 : mean;
          out[dst + (y * w + x) * c + k] = (v - mean) / (stats.std[k] as number);
        }
      }
    }
    labels[b] = data.labels[index] as number;
  });
}
