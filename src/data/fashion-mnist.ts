import { join } from 'node:path';
import { UserError } from '../errors.js';
import { readIdxImages, readIdxLabels } from './idx.js';
import { grouped } from './numbers.js';
import type { ImageDataset, ImageSplit } from './types.js';

export const FASHION_MNIST_DIR = 'fashion-mnist';
export const FASHION_MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte.gz',
  trainLabels: 'train-labels-idx1-ubyte.gz',
  testImages: 't10k-images-idx3-ubyte.gz',
  testLabels: 't10k-labels-idx1-ubyte.gz',
} as const;
/** Where Debian's `dataset-fashion-mnist` package installs the same four files. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

const CLASSES = 10;

/** Pairs an IDX image file with its label file, which must hold one label per image. */
export function readIdxSplit(imagesPath: string, labelsPath: string, classes: number): ImageSplit {
  const images = readIdxImages(imagesPath);
  const labels = readIdxLabels(labelsPath, classes);
  if (labels.length !== images.count) {
    throw new UserError(`${labelsPath}: ${grouped(labels.length)} labels, but ${imagesPath} has ${grouped(images.count)} images`);
  }
  return { images: images.pixels, labels, count: images.count, height: images.height, width: images.width, channels: 1 };
}

/** Fashion-MNIST from a directory holding the four gzipped IDX files under their upstream names. */
export function loadFashionMnist(dir: string): ImageDataset {
  const f = FASHION_MNIST_FILES;
  return {
    name: 'fashion-mnist',
    classes: CLASSES,
    train: readIdxSplit(join(dir, f.trainImages), join(dir, f.trainLabels), CLASSES),
    test: readIdxSplit(join(dir, f.testImages), join(dir, f.testLabels), CLASSES),
  };
}
