import { CnnMicroNet } from '../engine/cnn-net.js';
import { CnnSupernet } from '../engine/supernet-cnn.js';
import { UserError } from '../errors.js';
import { CNN_NODES, CNN_OPS, type CnnMicroArch } from '../spaces/cnn-micro.js';
import type { DataDir } from '../data/data-dir.js';
import { deviceOf } from './engine-evaluation.js';
import { openImageTask, slice } from './image-children.js';
import type { ImagePresets } from './image-tasks.js';
import { lazyTensorflow } from './engine-options.js';
import { taskRecord } from './record.js';
import type { Evaluator, Task, TaskOptions } from './types.js';

/** Loads the data and resolves the engine for an image task; children are cnn-micro networks. */
export async function openImageEvaluator(
  task: Task<CnnMicroArch>,
  dataset: string,
  table: ImagePresets,
  dir: DataDir,
  options: TaskOptions,
): Promise<Evaluator<CnnMicroArch>> {
  const { info, engine, presetName, preset, dataConfig, data, valid, childEvaluations } = await openImageTask(task.name, dataset, table, dir, options);
  const { search, final, supernet } = preset;
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
    ...childEvaluations<CnnMicroArch>(
      (arch, setting, seed) => new CnnMicroNet(arch, { inputShape, classes: data.classes, filters: setting.filters, cellsPerStage: setting.cellsPerStage }, seed),
    ),
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
