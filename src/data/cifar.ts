import { join } from 'node:path';
import { UserError } from '../errors.js';
import { concatSplits } from './image-split.js';
import { grouped } from './numbers.js';
import { readDataFile } from './read-file.js';
import type { ImageDataset, ImageSplit } from './types.js';

const SIDE = 32;
const PLANE = SIDE * SIDE;
const PIXEL_BYTES = 3 * PLANE;

/** How one record of a CIFAR binary file starts: its label bytes, and which of them is the class. */
export interface CifarRecordLayout {
  /** Number of classes of each leading label byte, in file order. */
  readonly labelClasses: readonly number[];
  /** Which label byte is the class returned. */
  readonly labelIndex: number;
  readonly labelNames: readonly string[];
}

export const CIFAR10_RECORD: CifarRecordLayout = { labelClasses: [10], labelIndex: 0, labelNames: ['label'] };
/** CIFAR-100 records carry the coarse (20 super-classes) then the fine label; the fine one is the task. */
export const CIFAR100_RECORD: CifarRecordLayout = { labelClasses: [20, 100], labelIndex: 1, labelNames: ['coarse label', 'fine label'] };

export const CIFAR10_DIR = 'cifar-10-batches-bin';
export const CIFAR10_TRAIN_FILES = [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`);
export const CIFAR10_TEST_FILE = 'test_batch.bin';
export const CIFAR100_DIR = 'cifar-100-binary';
export const CIFAR100_TRAIN_FILE = 'train.bin';
export const CIFAR100_TEST_FILE = 'test.bin';

export function cifarRecordBytes(layout: CifarRecordLayout): number {
  return layout.labelClasses.length + PIXEL_BYTES;
}

/** Decodes one CIFAR binary file; the file stores each image as R, G and B planes, returned here as HWC. */
export function readCifarBinary(path: string, layout: CifarRecordLayout): ImageSplit {
  const bytes = readDataFile(path);
  const recordBytes = cifarRecordBytes(layout);
  const count = Math.floor(bytes.length / recordBytes);
  const cut = bytes.length % recordBytes;
  if (bytes.length === 0) throw new UserError(`${path}: empty file, expected ${grouped(recordBytes)}-byte records`);
  if (cut !== 0) {
    throw new UserError(
      `${path}: ${grouped(bytes.length)} bytes is not a whole number of ${grouped(recordBytes)}-byte records ` +
        `(record ${grouped(count + 1)} starts at byte offset ${grouped(count * recordBytes)} and is cut after ${grouped(cut)} of its ${grouped(recordBytes)} bytes)`,
    );
  }
  const labelBytes = layout.labelClasses.length;
  const images = new Uint8Array(count * PIXEL_BYTES);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * recordBytes;
    for (let k = 0; k < labelBytes; k++) {
      const value = bytes[base + k] as number;
      const classes = layout.labelClasses[k] as number;
      if (value >= classes) {
        throw new UserError(
          `${path}: record ${grouped(r + 1)} (byte offset ${grouped(base + k)}): ${layout.labelNames[k]} ${value} is out of range, expected 0–${classes - 1}`,
        );
      }
    }
    labels[r] = bytes[base + layout.labelIndex] as number;
    const src = base + labelBytes;
    const dst = r * PIXEL_BYTES;
    for (let p = 0; p < PLANE; p++) {
      images[dst + 3 * p] = bytes[src + p] as number;
      images[dst + 3 * p + 1] = bytes[src + PLANE + p] as number;
      images[dst + 3 * p + 2] = bytes[src + 2 * PLANE + p] as number;
    }
  }
  return { images, labels, count, height: SIDE, width: SIDE, channels: 3 };
}

/** CIFAR-10 from a `cifar-10-batches-bin` directory: the five training batches joined in order, and the test batch. */
export function loadCifar10(dir: string): ImageDataset {
  const train = concatSplits(CIFAR10_TRAIN_FILES.map((f) => readCifarBinary(join(dir, f), CIFAR10_RECORD)));
  const test = readCifarBinary(join(dir, CIFAR10_TEST_FILE), CIFAR10_RECORD);
  return { name: 'cifar10', classes: 10, train, test };
}

/** CIFAR-100 from a `cifar-100-binary` directory, labelled with the 100 fine classes. */
export function loadCifar100(dir: string): ImageDataset {
  const train = readCifarBinary(join(dir, CIFAR100_TRAIN_FILE), CIFAR100_RECORD);
  const test = readCifarBinary(join(dir, CIFAR100_TEST_FILE), CIFAR100_RECORD);
  return { name: 'cifar100', classes: 100, train, test };
}
