import type { Objective } from '../api/index.js';
import { getDataset } from '../data/index.js';
import type { Augmentation } from '../engine/image-batches.js';
import type { SupernetTraining } from '../engine/supernet.js';
import type { ImageTrainConfig } from '../engine/train-image.js';
import { cnnMicroSpace, type CnnMicroArch } from '../spaces/cnn-micro.js';
import { datasetFiles } from './data-files.js';
import type { Task } from './types.js';

/** One way of training a child: network size, optimiser, and which images it sees. */
export interface ImageSetting {
  readonly filters: number;
  readonly cellsPerStage: number;
  readonly train: ImageTrainConfig;
  /** Training images used (from the start of the training split). */
  readonly trainImages: number;
  /** Validation images held out from the end of the training split (search only). */
  readonly validImages: number;
}

/**
 * The weight-sharing supernet (ENAS, NAO-WS) of a preset: network size and how it is trained. It
 * trains on the search setting's training images and scores on its validation images.
 */
export interface ImageSupernetSetting {
  readonly filters: number;
  readonly cellsPerStage: number;
  readonly batchSize: number;
  readonly validBatchSize: number;
  readonly augment: Augmentation;
  readonly train: SupernetTraining;
}

/** A preset: how children are trained while searching, how the final architecture is, and the supernet (if any). */
export interface ImagePreset {
  readonly search: ImageSetting;
  readonly final: ImageSetting;
  readonly supernet?: ImageSupernetSetting;
}

const SGD = { lr: 0.1, lrMin: 0, momentum: 0.9, weightDecay: 3e-4, gradClip: 5 };
// ENAS's shared-weight training: cosine from 0.05 to 0.0005, momentum 0.9, clipping at 5.
const SUPERNET_SGD = { lr: 0.05, lrMin: 0.0005, momentum: 0.9, weightDecay: 3e-4, gradClip: 5 };

export type ImagePresets = Readonly<Record<string, ImagePreset>>;

export function presets(augment: Augmentation, cutout: number, trainSize: number): Record<'smoke' | 'tiny' | 'paper', ImagePreset> {
  return {
    // Seconds per child on wasm: for checking a setup end to end, not for results.
    smoke: {
      search: { filters: 4, cellsPerStage: 1, trainImages: 256, validImages: 128, train: { ...SGD, epochs: 1, batchSize: 32, augment } },
      final: { filters: 4, cellsPerStage: 1, trainImages: 1_024, validImages: 0, train: { ...SGD, epochs: 1, batchSize: 32, augment } },
      // Eight steps an epoch over the search split, two validation batches: weight sharing in seconds.
      supernet: { filters: 4, cellsPerStage: 1, batchSize: 32, validBatchSize: 64, augment, train: { ...SUPERNET_SGD, epochs: 4 } },
    },
    // A final training of two passes over the full training set (the reference cell: 88.9 %
    // Fashion-MNIST test accuracy in 12 minutes of one core, results/reference-fashion-mnist.json;
    // one pass gave 86.5 %). The search child, 31 steps in batches of 64 over 2,000 images, about 15 s
    // of one core on Fashion-MNIST, ranks cells as their finals do no worse than children three times
    // longer, and more repeatably; weakly for all of them (τ from about −0.1 to 0.45 on held-out cells, moved
    // by the seed), which is why `run` warns (issue 18: docs/ENGINE.md, results/proxy-fidelity.md).
    tiny: {
      search: { filters: 8, cellsPerStage: 1, trainImages: 2_000, validImages: 1_000, train: { ...SGD, epochs: 1, batchSize: 64, augment } },
      final: { filters: 8, cellsPerStage: 1, trainImages: trainSize, validImages: 0, train: { ...SGD, epochs: 2, batchSize: 64, augment } },
      // `epochs` is the length of the learning-rate schedule in epochs of the search split, as
      // many as ENAS trains by default; a method decides how many it trains. One epoch costs about
      // what one child's training does.
      supernet: { filters: 8, cellsPerStage: 1, batchSize: 64, validBatchSize: 100, augment, train: { ...SUPERNET_SGD, epochs: 10 } },
    },
    // NAO-style settings, meant for GPUs: final architectures are trained like NAONet-WS (B=5, N=6, F=36, cutout).
    paper: {
      search: { filters: 20, cellsPerStage: 3, trainImages: trainSize - 5_000, validImages: 5_000, train: { ...SGD, epochs: 25, batchSize: 128, augment } },
      final: { filters: 36, cellsPerStage: 6, trainImages: trainSize, validImages: 0, train: { ...SGD, lr: 0.025, epochs: 600, batchSize: 128, augment: { ...augment, cutout } } },
      // NAO-WS/ENAS-scale weight sharing: N=3, F=20, 150 epochs of shared training.
      supernet: { filters: 20, cellsPerStage: 3, batchSize: 128, validBatchSize: 500, augment, train: { ...SUPERNET_SGD, epochs: 150 } },
    },
  };
}

const SEARCH_OBJECTIVE: Objective = { metric: 'valid_acc', goal: 'max', label: 'validation accuracy (%) on held-out training images' };
const RESULT: Objective = { metric: 'test_error', goal: 'min', label: 'test error (%) after training from scratch' };

/** Each image task's preset table, by task name (benchmarks score other settings of the same task). */
export const IMAGE_PRESETS: Record<string, Record<'smoke' | 'tiny' | 'paper', ImagePreset>> = {};

function imageTask(name: string, dataset: string, title: string, augment: Augmentation, trainSize: number): Task<CnnMicroArch> {
  const table = presets(augment, 16, trainSize);
  IMAGE_PRESETS[name] = table;
  const task: Task<CnnMicroArch> = {
    name,
    kind: 'image',
    description: `${title}: train cnn-micro children, search on held-out validation accuracy, report test error`,
    space: cnnMicroSpace,
    objective: SEARCH_OBJECTIVE,
    result: RESULT,
    defaultBudget: 20,
    presets: Object.keys(table),
    // Hand-picked (not from a paper): separable convolutions on both inputs, pooling in the reduction cell.
    reference:
      'normal:0 sep_conv_3x3 1 sep_conv_3x3|0 sep_conv_3x3 1 identity|1 sep_conv_5x5 2 identity|0 avg_pool_3x3 3 sep_conv_3x3|1 identity 4 sep_conv_3x3;' +
      'reduce:0 max_pool_3x3 1 sep_conv_5x5|0 sep_conv_3x3 1 max_pool_3x3|2 identity 1 avg_pool_3x3|0 sep_conv_5x5 3 identity|2 sep_conv_3x3 4 max_pool_3x3',
    dataStatus(dir) {
      const status = getDataset(dataset).status(dir);
      return { present: status.present, missing: status.missing };
    },
    dataFiles: (dir) => datasetFiles(getDataset(dataset), dir),
    async open(dir, options) {
      // The engine (TensorFlow.js) loads only when a trained task is opened.
      const { openImageEvaluator } = await import('./image-evaluator.js');
      return openImageEvaluator(task, dataset, table, dir, options);
    },
  };
  return task;
}

const FLIP_CROP: Augmentation = { padCrop: 4, flip: true, cutout: 0 };

export const imageTasks: Task<CnnMicroArch>[] = [
  imageTask('fashion-mnist', 'fashion-mnist', 'Fashion-MNIST', { padCrop: 2, flip: true, cutout: 0 }, 60_000),
  imageTask('cifar10', 'cifar10', 'CIFAR-10', FLIP_CROP, 50_000),
  imageTask('cifar100', 'cifar100', 'CIFAR-100', FLIP_CROP, 50_000),
];
