import { UserError } from '../errors.js';
import { grouped } from '../data/numbers.js';

/** One use a preset makes of a split, and the least it needs for that use to mean anything. */
export interface SplitNeed {
  /** The file or directory holding the split, named in the message. */
  readonly where: string;
  /** 'training', 'validation' or 'test'. */
  readonly split: string;
  /** How many tokens or images the split holds (or the part of it the preset takes). */
  readonly has: number;
  readonly unit: 'tokens' | 'images';
  /** What the preset does with it, e.g. "measures it in 10 parallel streams". */
  readonly use: string;
  readonly atLeast: number;
}

/**
 * Refuses, when a task opens its data, a split too small for what the preset does with it (e.g. an
 * empty validation split): otherwise every child would train and then measure NaN.
 */
export function requireSplitSizes(preset: string, needs: readonly SplitNeed[]): void {
  for (const n of needs) {
    if (n.has < n.atLeast) {
      throw new UserError(
        `${n.where}: the ${n.split} split has ${grouped(n.has)} ${n.unit}; preset ${preset} ${n.use}, which needs at least ${grouped(n.atLeast)}`,
      );
    }
  }
}

/** A token stream measured or trained on in `streams` parallel streams needs two tokens in each (an input and its next word). */
export function streamNeed(where: string, split: string, has: number, streams: number, verb: 'trains on' | 'measures'): SplitNeed {
  return { where, split, has, unit: 'tokens', use: `${verb} it in ${streams} parallel streams`, atLeast: 2 * streams };
}

/** What an image preset takes: training images for search and final, validation images held out of the training split. */
interface ImageUse {
  readonly search: { readonly trainImages: number; readonly validImages: number };
  readonly final: { readonly trainImages: number };
}

/** The images each setting of the preset takes from the training split, and the test split it is measured on. */
export function imageNeeds(data: { readonly train: { readonly count: number }; readonly test: { readonly count: number } }, preset: ImageUse, where: string): SplitNeed[] {
  const train = (atLeast: number, use: string): SplitNeed => ({ where, split: 'training', has: data.train.count, unit: 'images', use, atLeast });
  const { search, final } = preset;
  return [
    train(search.trainImages, `trains on ${grouped(search.trainImages)} of them (search)`),
    train(Math.max(1, search.validImages), `holds out ${grouped(search.validImages)} of them to measure validation accuracy on`),
    train(final.trainImages, `trains on ${grouped(final.trainImages)} of them (final)`),
    { where, split: 'test', has: data.test.count, unit: 'images', use: 'measures test error on it', atLeast: 1 },
  ];
}
