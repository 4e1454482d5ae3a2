import type { Rng } from './rng.js';

declare const archBrand: unique symbol;

/**
 * An architecture as a search method sees it: opaque, created and inspected only through the
 * run's {@link SearchSpace} (sample, mutate, format, toTokens, …). Each space has its own concrete
 * type behind it (e.g. a NAS-Bench-201 cell's six edge ops).
 */
export type Arch = { readonly [archBrand]: 'Arch' };

/** Stable identifier of an architecture: a hex digest of its canonical string. */
export type ArchHash = string & { readonly __brand: 'ArchHash' };

/**
 * How an architecture is written as a fixed-length token sequence, for sequence models
 * (NAO's encoder/decoder, an RL controller). Token ids are 0..vocabSize-1.
 */
export interface TokenGrammar {
  readonly length: number;
  readonly vocabSize: number;
  /** Token ids that are valid at a position; decoders mask every other id there. */
  allowed(position: number): readonly number[];
  /** Human-readable name of a token id (for logs and diagnostics). */
  name(token: number): string;
}

/**
 * A search space: what architectures exist and how they are written, sampled and varied.
 * `A` is the space's own architecture type; searchers stay generic over it.
 */
export interface SearchSpace<A = Arch> {
  readonly kind: string;
  readonly description: string;
  /** Number of distinct canonical strings (may be a float approximation for huge spaces). */
  readonly size: number;
  readonly grammar: TokenGrammar;
  sample(rng: Rng): A;
  /** A neighbour that differs from `arch` in exactly one choice. */
  mutate(arch: A, rng: Rng): A;
  /** The canonical string (what the store records and what `parse` reads). */
  format(arch: A): string;
  /** Reads a canonical string; throws an ArchParseError that quotes it on malformed input. */
  parse(text: string): A;
  hash(arch: A): ArchHash;
  toTokens(arch: A): number[];
  /** Inverse of toTokens; throws when the sequence breaks the grammar. */
  fromTokens(tokens: readonly number[]): A;
  /** Other architectures that denote the same network (e.g. swapped node branches), for augmentation. */
  equivalents(arch: A): A[];
}

export class ArchParseError extends Error {
  override readonly name = 'ArchParseError';
  constructor(space: string, text: string, expected: string) {
    super(`invalid ${space} architecture ${JSON.stringify(text)}: expected ${expected}`);
  }
}
