import { getDataset, type ImageDataset, type ImageSplit } from '../data/index.js';
import { CnnMicroNet } from '../engine/cnn-net.js';
import { CnnSupernet } from '../engine/supernet-cnn.js';
import { trainImageClassifier } from '../engine/train-image.js';
import { UserError } from '../errors.js';
import { CNN_NODES, CNN_OPS, type CnnMicroArch } from '../spaces/cnn-micro.js';
import type { DataDir } from '../data/data-dir.js';
import { deviceOf, measureChild, prepareTrainedTask } from './engine-evaluation.js';
import { imageNeeds, requireSplitSizes } from './split-sizes.js';
import type { ImagePresets, ImageSetting } from './image-tasks.js';
import { lazyTensorflow } from './engine-options.js';
import { taskRecord } from './record.js';
import type { EvalJob, Evaluator, Task, TaskOptions } from './types.js';

export function slice(split: ImageSplit, start: number, count: number): ImageSplit {
  const size = split.height * split.width * split.channels;
  if (start + count > split.count) throw new UserError(`asked for images ${start}..${start + count - 1} of a split holding ${split.count}`);
  return {
    ...split,
    images: split.images.subarray(start * size, (start + count) * size),
    labels: split.labels.subarray(start, start + count),
    count,
  };
}

/** Loads the data and resolves the engine for an image task; children are cnn-micro networks. */
export async function openImageEvaluator(
  task: Task<CnnMicroArch>,
  dataset: string,
  table: ImagePresets,
  dir: DataDir,
  options: TaskOptions,
): Promise<Evaluator<CnnMicroArch>> {
  const { info, engine, presetName, preset, dataConfig } = await prepareTrainedTask(task.name, dataset, table, dir, options);
  const source = getDataset(dataset);
  const data = source.load(dir) as ImageDataset;
  requireSplitSizes(presetName, imageNeeds(data, preset, source.status(dir).dir));
  const child = (arch: CnnMicroArch, setting: ImageSetting, job: EvalJob, evalSets: Record<string, ImageSplit>) => {
    const seed = job.seed;
    const net = new CnnMicroNet(
      arch,
      { inputShape: [data.train.height, data.train.width, data.train.channels], classes: data.classes, filters: setting.filters, cellsPerStage: setting.cellsPerStage },
      seed,
    );
    try {
      return measureChild(info, net.params.count(), setting.train.epochs, () =>
        trainImageClassifier(net, slice(data.train, 0, setting.trainImages), evalSets, setting.train, seed, job.onProgress),
      );
    } finally {
      net.dispose();
    }
  };
  const { search, final, supernet } = preset;
  const valid = slice(data.train, data.train.count - search.validImages, search.validImages);
  const inputShape = [data.train.height, data.train.width, data.train.channels] as const;
  return {
    record: taskRecord(task, engine, {
      preset: presetName,
      child: { B: CNN_NODES, N: final.cellsPerStage, F: final.filters, ops: CNN_OPS.length },
      settings: {
        preset: presetName,
        search: { B: CNN_NODES, N: search.cellsPerStage, F: search.filters, ops: CNN_OPS.length, epochs: search.train.epochs, trainImages: search.trainImages },
        final: { B: CNN_NODES, N: final.cellsPerStage, F: final.filters, ops: CNN_OPS.length, epochs: final.train.epochs, trainImages: final.trainImages },
        ...(supernet ? { supernet: { N: supernet.cellsPerStage, F: supernet.filters, batchSize: supernet.batchSize, epochs: supernet.train.epochs } } : {}),
        engine: info,
        ...dataConfig,
      },
    }),
    tensorflow: lazyTensorflow(engine),
    evaluate: async (arch, job) => child(arch, search, job, { valid }),
    finalEvaluate: async (arch, job) => child(arch, final, job, { test: data.test }),
    openSupernet(seed) {
      if (!supernet) throw new UserError(`ctx.supernet(): preset ${presetName} of task ${task.name} has no supernet settings`);
      const core = new CnnSupernet(
        { inputShape, classes: data.classes, filters: supernet.filters, cellsPerStage: supernet.cellsPerStage },
        { train: slice(data.train, 0, search.trainImages), valid },
        { batchSize: supernet.batchSize, validBatchSize: supernet.validBatchSize, augment: supernet.augment, training: supernet.train },
        seed,
      );
      return { core, device: deviceOf(info) };
    },
    close() {},
  };
}
