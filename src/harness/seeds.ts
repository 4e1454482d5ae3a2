import { mixSeed } from '../api/seed-mix.js';
import { UserError } from '../errors.js';

export const MAX_SEED = 2 ** 31 - 1;
/** Runs one experiment may hold; checked from the counts and ranges before any list is built. */
export const MAX_SEEDS = 100_000;
const SEEDS_EXPECTED = 'a count N (seeds 0..N-1), or a comma-separated list of seeds and ranges like 1,5,9 or 10..19';

/** `--seeds`: "N" means seeds 0..N-1; a list "1,5,9" (ranges "a..b" allowed, a trailing comma makes one seed a list). */
export function parseSeeds(text: string): number[] {
  const fail = (): never => {
    throw new UserError(`--seeds ${JSON.stringify(text)}: expected ${SEEDS_EXPECTED}`);
  };
  const integer = (s: string): number => {
    if (!/^\d+$/.test(s.trim())) fail();
    const n = Number(s);
    if (n > MAX_SEED) fail();
    return n;
  };
  const tooMany = (): never => {
    throw new UserError(`--seeds ${JSON.stringify(text)}: at most ${MAX_SEEDS} seeds per experiment`);
  };
  if (!text.includes(',') && !text.includes('..')) {
    const count = integer(text);
    if (count === 0) fail();
    if (count > MAX_SEEDS) tooMany();
    return Array.from({ length: count }, (_, i) => i);
  }
  // Every item is parsed and counted first: only a list within the bound is expanded.
  const items: [number, number][] = [];
  let total = 0;
  for (const item of text.split(',')) {
    if (item.trim() === '') continue;
    const range = item.split('..');
    if (range.length > 2) fail();
    const from = integer(range[0] as string);
    const to = range.length === 2 ? integer(range[1] as string) : from;
    if (to < from) fail();
    total += to - from + 1;
    if (total > MAX_SEEDS) tooMany();
    items.push([from, to]);
  }
  if (items.length === 0) fail();
  const seeds = items.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i));
  if (new Set(seeds).size !== seeds.length) {
    throw new UserError(`--seeds ${JSON.stringify(text)}: seeds must be distinct`);
  }
  return seeds;
}

/**
 * How a run's seeds are derived, stored with each experiment (`config.seedDerivation`):
 * 2, the integer-exact `mixSeed`. Experiments stored before it (no `seedDerivation`: 1) multiplied
 * in floating point, which loses bits above 2^53: their search evaluations' seeds agree with
 * version 2's (run seeds below 3,400,000, ordinals below 4,000,000), the seeds of their final
 * evaluations, supernets and zero-cost minibatches do not. Version 1 is kept only so that those
 * runs resume exactly as they began. Table lookups use no seed: NAS-Bench-201 results are the same
 * under either.
 */
export const SEED_DERIVATION = 2;

/** The seeds of one run's randomness, from the run's seed. */
export interface RunSeeds {
  /** One search evaluation's (weight init, data order), by its ordinal. */
  evaluation(ordinal: number): number;
  /** The final (reporting) evaluation's, apart from every search evaluation's. */
  final(): number;
  /** The run's supernet's (initial weights, data order, augmentation and dropout). */
  supernet(): number;
  /** The run's zero-cost minibatch: one for every cell the run scores, as in the NASWOT protocol. */
  zeroCostInput(): number;
}

const FINAL_ORDINAL = 0xffffffff;
const SUPERNET_ORDINAL = 0xfffffffe;
const ZERO_COST_INPUT_ORDINAL = 0xfffffffd;

export function runSeeds(runSeed: number, derivation: number): RunSeeds {
  if (derivation !== 1 && derivation !== SEED_DERIVATION) throw new Error(`seed derivation ${derivation} is not known to this nasbench (1 or ${SEED_DERIVATION})`);
  const mix = derivation === 1 ? floatMix : mixSeed;
  return {
    evaluation: (ordinal) => mix(runSeed, ordinal),
    final: () => mix(runSeed, FINAL_ORDINAL),
    supernet: () => mix(runSeed, SUPERNET_ORDINAL),
    zeroCostInput: () => mix(runSeed, ZERO_COST_INPUT_ORDINAL),
  };
}

/** The derivation a stored run's experiment used. */
export function seedDerivationOf(config: Readonly<Record<string, unknown>>): number {
  return typeof config.seedDerivation === 'number' ? config.seedDerivation : 1;
}

/** Seed derivation 1, frozen for runs stored before version 2 (see SEED_DERIVATION). */
function floatMix(runSeed: number, ordinal: number): number {
  let h = (runSeed * 0x9e3779b1 + ordinal * 0x85ebca6b + 0x632be5ab) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}
