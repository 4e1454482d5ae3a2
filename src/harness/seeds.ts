import { UserError } from '../errors.js';

const MAX_SEED = 2 ** 31 - 1;
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

/** The seed of one evaluation's randomness, derived from the run's seed and its position. */
export function evaluationSeed(runSeed: number, ordinal: number): number {
  // splitmix32-style mixing so neighbouring (seed, ordinal) pairs give unrelated streams.
  let h = (runSeed * 0x9e3779b1 + ordinal * 0x85ebca6b + 0x632be5ab) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
  return (h ^ (h >>> 15)) >>> 0;
}

/** The seed of the final (reporting) evaluation of a run, apart from every search evaluation's. */
export function finalEvaluationSeed(runSeed: number): number {
  return evaluationSeed(runSeed, 0xffffffff);
}

/** The seed of a run's supernet (its initial weights, data order, augmentation and dropout). */
export function supernetSeed(runSeed: number): number {
  return evaluationSeed(runSeed, 0xfffffffe);
}

/** The seed of a run's zero-cost minibatch: one for every cell the run scores, as in the NASWOT protocol. */
export function zeroCostInputSeed(runSeed: number): number {
  return evaluationSeed(runSeed, 0xfffffffd);
}
