import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import {
  xoroshiro128plus,
  xoroshiro128plusFromState,
} from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

/** Serialisable position of an {@link Rng} in its stream. */
export type RngState = readonly number[];

/**
 * The only source of randomness a search method may use. The harness seeds it from the run's
 * seed and stores its state with every snapshot, so a resumed run draws exactly the numbers the
 * uninterrupted run would have drawn.
 */
export class Rng {
  private constructor(private gen: JumpableRandomGenerator) {}

  static seeded(seed: number): Rng {
    return new Rng(xoroshiro128plus(seed));
  }

  static fromState(state: RngState): Rng {
    return new Rng(xoroshiro128plusFromState(state));
  }

  state(): RngState {
    return this.gen.getState();
  }

  /** Moves this generator to a stored position (the harness does this on resume). */
  reset(state: RngState): void {
    this.gen = xoroshiro128plusFromState(state);
  }

  /** An independent stream (2^64 draws away), leaving this one unchanged apart from one jump. */
  fork(): Rng {
    const child = this.gen.clone();
    this.gen.jump();
    this.gen.jump();
    child.jump();
    return new Rng(child);
  }

  /** Uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`Rng.int needs a positive integer, got ${n}`);
    return uniformInt(this.gen, 0, n - 1);
  }

  /** Standard normal draw (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Rng.pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Fisher–Yates shuffle into a new array. */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }

  /** k distinct items, in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    if (k > items.length) throw new RangeError(`Rng.sample: cannot draw ${k} of ${items.length}`);
    return this.shuffled(items).slice(0, k);
  }
}
