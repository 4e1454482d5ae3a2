import { getDataset, type ImageDataset, type ImageSplit } from '../data/index.js';
import type { DataDir } from '../data/data-dir.js';
import { trainImageClassifier, type ImageClassifier, type ImageTrainConfig } from '../engine/train-image.js';
import { UserError } from '../errors.js';
import { measureChild, prepareTrainedTask } from './engine-evaluation.js';
import { imageNeeds, requireSplitSizes } from './split-sizes.js';
import type { EvalJob, Evaluator, TaskOptions } from './types.js';

/** What every image setting (search or final) says about training a child, whatever its network. */
export interface ImageChildSetting {
  readonly train: ImageTrainConfig;
  /** Training images used (from the start of the training split). */
  readonly trainImages: number;
  /** Validation images held out from the end of the training split (search only). */
  readonly validImages: number;
}

/** A child network the image trainer can train, and free. */
export interface ImageChild extends ImageClassifier {
  dispose(): void;
}

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

/**
 * What every image task does when opened: resolve the engine and the preset, load the data set,
 * check that its splits hold what the preset takes (before any reshaping, so the message names
 * the files' own sizes), reshape it (`fit`, e.g. padding), and hold out the validation images.
 */
export async function openImageTask<P extends { readonly search: ImageChildSetting; readonly final: ImageChildSetting }>(
  task: string,
  dataset: string,
  presets: Readonly<Record<string, P>>,
  dir: DataDir,
  options: TaskOptions,
  fit: (data: ImageDataset) => ImageDataset = (data) => data,
) {
  const prepared = await prepareTrainedTask(task, dataset, presets, dir, options);
  const source = getDataset(dataset);
  const raw = source.load(dir) as ImageDataset;
  requireSplitSizes(prepared.presetName, imageNeeds(raw, prepared.preset, source.status(dir).dir));
  const data = fit(raw);
  const { search, final } = prepared.preset;
  const valid = slice(data.train, data.train.count - search.validImages, search.validImages);

  /** Trains a child built from the job's seed on the setting's training images, measures it on `evalSets`, frees it. */
  const trainChild = (setting: ImageChildSetting, job: EvalJob, evalSets: Record<string, ImageSplit>, build: (seed: number) => ImageChild) => {
    const net = build(job.seed);
    try {
      return measureChild(prepared.info, net.params.count(), setting.train.epochs, () =>
        trainImageClassifier(net, slice(data.train, 0, setting.trainImages), evalSets, setting.train, job.seed, job.onProgress),
      );
    } finally {
      net.dispose();
    }
  };

  /** The search evaluation (validation accuracy) and the final one (test accuracy) of children `build` makes. */
  const childEvaluations = <A>(build: (arch: A, setting: P['search'] | P['final'], seed: number) => ImageChild): Pick<Evaluator<A>, 'evaluate' | 'finalEvaluate'> => ({
    evaluate: async (arch, job) => trainChild(search, job, { valid }, (seed) => build(arch, search, seed)),
    finalEvaluate: async (arch, job) => trainChild(final, job, { test: data.test }, (seed) => build(arch, final, seed)),
  });

  return { ...prepared, raw, data, valid, childEvaluations };
}
