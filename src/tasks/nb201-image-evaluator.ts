import type { ImageDataset, ImageSplit } from '../data/index.js';
import { Nb201Net } from '../engine/nb201-net.js';
import type { Nb201Arch } from '../spaces/nb201.js';
import type { DataDir } from '../data/data-dir.js';
import { openImageTask, slice } from './image-children.js';
import { NB201_IMAGE_SIDE, type Nb201ImagePresets, type Nb201ImageSetting } from './nb201-image-task.js';
import { lazyTensorflow } from './engine-options.js';
import { taskRecord } from './record.js';
import type { Evaluator, Task, TaskOptions } from './types.js';
import { imageInputs, nb201ZeroCost } from './zero-cost-evaluation.js';

/** Zero-pads every image of a split to side × side, centred (Fashion-MNIST's background is 0). */
export function padImages(split: ImageSplit, side: number): ImageSplit {
  const { height: h, width: w, channels: c, count } = split;
  if (h > side || w > side) throw new Error(`cannot pad ${h}×${w} images to ${side}×${side}`);
  if (h === side && w === side) return split;
  const [top, left] = [Math.floor((side - h) / 2), Math.floor((side - w) / 2)];
  const images = new Uint8Array(count * side * side * c);
  for (let i = 0; i < count; i++) {
    for (let y = 0; y < h; y++) {
      const from = ((i * h + y) * w) * c;
      images.set(split.images.subarray(from, from + w * c), ((i * side + y + top) * side + left) * c);
    }
  }
  return { ...split, images, height: side, width: side };
}

/** Loads the data (padded to 32×32) and resolves the engine; children are NB201 networks. */
export async function openNb201ImageEvaluator(
  task: Task<Nb201Arch>,
  dataset: string,
  table: Nb201ImagePresets,
  dir: DataDir,
  options: TaskOptions,
): Promise<Evaluator<Nb201Arch>> {
  const fit = (raw: ImageDataset) => ({ ...raw, train: padImages(raw.train, NB201_IMAGE_SIDE), test: padImages(raw.test, NB201_IMAGE_SIDE) });
  const { info, engine, presetName, preset, dataConfig, raw, data, childEvaluations } = await openImageTask(task.name, dataset, table, dir, options, fit);
  const inputShape = [NB201_IMAGE_SIDE, NB201_IMAGE_SIDE, data.train.channels] as const;
  const { search, final } = preset;
  const inputs = imageInputs(slice(data.train, 0, search.trainImages), `${dataset} (padded to ${NB201_IMAGE_SIDE}×${NB201_IMAGE_SIDE})`);
  const describe = (s: Nb201ImageSetting) => ({ C: s.channels, N: s.cellsPerStage, epochs: s.train.epochs, trainImages: s.trainImages, batchSize: s.train.batchSize });
  return {
    record: taskRecord(task, engine, {
      preset: presetName,
      child: { B: null, N: final.cellsPerStage, F: final.channels, ops: null },
      settings: { preset: presetName, input: `${raw.train.height}×${raw.train.width} padded to ${NB201_IMAGE_SIDE}×${NB201_IMAGE_SIDE}`, search: describe(search), final: describe(final), engine: info, ...dataConfig },
    }),
    tensorflow: lazyTensorflow(engine),
    ...childEvaluations<Nb201Arch>(
      (arch, setting, seed) => new Nb201Net(arch, { inputShape, classes: data.classes, channels: setting.channels, cellsPerStage: setting.cellsPerStage }, seed),
    ),
    // The network a run is judged by (the final setting's size), on the search split's images.
    zeroCost: async (arch, kind, job) =>
      nb201ZeroCost(info, arch, kind, { inputShape, classes: data.classes, channels: final.channels, cellsPerStage: final.cellsPerStage }, inputs, job),
    close() {},
  };
}
