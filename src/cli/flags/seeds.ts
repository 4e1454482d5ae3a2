import { Flags } from '@oclif/core';
import { UserError } from '../../errors.js';
import { MAX_SEED, parseSeeds } from '../../harness/seeds.js';

/**
 * `--seeds` keeps its meaning (a count, a list or ranges: `--seeds 7` is seven runs, seeds 0–6);
 * `--seed N` is one run with seed N. They exclude each other.
 */
export const seedFlags = {
  seeds: Flags.string({
    char: 's',
    description: 'How many seeds, or which: a count N is seeds 0..N-1 (--seeds 7 is seven runs, seeds 0–6), a list 1,5,9 or a range 10..19; at most 100000 seeds (default: 1, seed 0). For one particular seed use --seed',
    helpValue: '<N|list>',
  }),
  seed: Flags.integer({
    description: 'One run with this seed (--seed 7 is seed 7 alone, the same as --seeds 7..7)',
    min: 0,
    max: MAX_SEED,
    helpValue: '<n>',
  }),
};

/** The seeds those flags ask for; undefined when neither was given. */
export function seedsOf(flags: { readonly seeds?: string | undefined; readonly seed?: number | undefined }): number[] | undefined {
  if (flags.seed !== undefined && flags.seeds !== undefined) {
    throw new UserError(`--seed ${flags.seed} and --seeds ${flags.seeds}: expected one of them (--seed N is seed N alone; --seeds a count, list or range)`);
  }
  if (flags.seed !== undefined) return [flags.seed];
  return flags.seeds === undefined ? undefined : parseSeeds(flags.seeds);
}
