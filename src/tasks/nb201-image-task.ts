import type { Objective } from '../api/index.js';
import { getDataset } from '../data/index.js';
import type { Augmentation } from '../engine/image-batches.js';
import type { ImageTrainConfig } from '../engine/train-image.js';
import { nb201Space, type Nb201Arch } from '../spaces/nb201.js';
import { datasetFiles } from './data-files.js';
import type { Task } from './types.js';

/** One way of training an NB201 network: its size, optimiser, and which images it sees. */
export interface Nb201ImageSetting {
  /** C: channels of the first stage (16 in the benchmark). */
  readonly channels: number;
  /** N: cells per stage (5 in the benchmark). */
  readonly cellsPerStage: number;
  readonly train: ImageTrainConfig;
  /** Training images used (from the start of the training split). */
  readonly trainImages: number;
  /** Validation images held out from the end of the training split (search only). */
  readonly validImages: number;
}

export interface Nb201ImagePreset {
  readonly search: Nb201ImageSetting;
  readonly final: Nb201ImageSetting;
}

export type Nb201ImagePresets = Readonly<Record<string, Nb201ImagePreset>>;

/** Side of the images the network sees: Fashion-MNIST's 28×28 is zero-padded to the benchmark's 32×32. */
export const NB201_IMAGE_SIDE = 32;

const AUGMENT: Augmentation = { padCrop: 2, flip: true, cutout: 0 };
// The benchmark's optimiser: SGD, momentum 0.9, weight decay 5e-4, cosine from 0.1 to 0, batch 256,
// no clipping (it uses Nesterov momentum, which this SGD does not have).
const NB201_SGD = { lr: 0.1, lrMin: 0, momentum: 0.9, weightDecay: 5e-4, gradClip: 0 };
const SGD = { lr: 0.1, lrMin: 0, momentum: 0.9, weightDecay: 3e-4, gradClip: 5 };

export const NB201_FASHION_PRESETS: Record<'smoke' | 'tiny' | 'paper', Nb201ImagePreset> = {
  // Seconds per child: for checking a setup end to end, not for results.
  smoke: {
    search: { channels: 4, cellsPerStage: 1, trainImages: 256, validImages: 128, train: { ...SGD, epochs: 1, batchSize: 32, augment: AUGMENT } },
    final: { channels: 4, cellsPerStage: 1, trainImages: 1_024, validImages: 0, train: { ...SGD, epochs: 1, batchSize: 32, augment: AUGMENT } },
  },
  // Sized like the Fashion-MNIST task's tiny preset before its recalibration (a search child on
  // 2,000 images, a final training of two passes over the training set) with a narrow, shallow
  // NB201 network; how well this search signal ranks its finals is not measured.
  tiny: {
    search: { channels: 8, cellsPerStage: 1, trainImages: 2_000, validImages: 1_000, train: { ...SGD, epochs: 1, batchSize: 64, augment: AUGMENT } },
    final: { channels: 8, cellsPerStage: 1, trainImages: 60_000, validImages: 0, train: { ...SGD, epochs: 2, batchSize: 64, augment: AUGMENT } },
  },
  // The benchmark's network (C = 16, N = 5) and schedule: a 12-epoch search signal on a held-out
  // split, a 200-epoch final training on the whole training set. Meant for GPUs.
  paper: {
    search: { channels: 16, cellsPerStage: 5, trainImages: 50_000, validImages: 10_000, train: { ...NB201_SGD, epochs: 12, batchSize: 256, augment: AUGMENT } },
    final: { channels: 16, cellsPerStage: 5, trainImages: 60_000, validImages: 0, train: { ...NB201_SGD, epochs: 200, batchSize: 256, augment: AUGMENT } },
  },
};

const SEARCH_OBJECTIVE: Objective = { metric: 'valid_acc', goal: 'max', label: 'validation accuracy (%) on held-out training images' };
const RESULT: Objective = { metric: 'test_error', goal: 'min', label: 'test error (%) after training from scratch' };

/** NAS-Bench-201 cells trained from scratch on Fashion-MNIST (padded to 32×32). */
export const nb201FashionMnistTask: Task<Nb201Arch> = {
  name: 'nb201-fashion-mnist',
  kind: 'image',
  description: 'Fashion-MNIST (padded to 32×32): train NAS-Bench-201 networks, search on held-out validation accuracy, report test error',
  space: nb201Space,
  objective: SEARCH_OBJECTIVE,
  result: RESULT,
  defaultBudget: 20,
  presets: Object.keys(NB201_FASHION_PRESETS),
  // The best CIFAR-10 cell of the benchmark's table (94.37 % after 200 epochs).
  reference: '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|',
  dataStatus(dir) {
    const status = getDataset('fashion-mnist').status(dir);
    return { present: status.present, missing: status.missing };
  },
  dataFiles: (dir) => datasetFiles(getDataset('fashion-mnist'), dir),
  async open(dir, options) {
    // The engine (TensorFlow.js) loads only when a trained task is opened.
    const { openNb201ImageEvaluator } = await import('./nb201-image-evaluator.js');
    return openNb201ImageEvaluator(nb201FashionMnistTask, 'fashion-mnist', NB201_FASHION_PRESETS, dir, options);
  },
};
