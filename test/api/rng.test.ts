import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const draw = (seed: number) => {
      const r = Rng.seeded(seed);
      return Array.from({ length: 20 }, () => r.int(1000));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('continues exactly from a stored state', () => {
    const a = Rng.seeded(3);
    for (let i = 0; i < 17; i++) a.float();
    const state = a.state();
    const expected = Array.from({ length: 10 }, () => a.float());
    const b = Rng.seeded(99);
    b.reset(state);
    expect(Array.from({ length: 10 }, () => b.float())).toEqual(expected);
    expect(Array.from({ length: 3 }, () => Rng.fromState(state).float())).toEqual(Array(3).fill(expected[0]));
  });

  it('draws integers uniformly within bounds', () => {
    const r = Rng.seeded(1);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < 50_000; i++) counts[r.int(5)]++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(400);
    expect(() => r.int(0)).toThrow(/positive integer/);
  });

  it('samples without replacement and shuffles into a permutation', () => {
    const r = Rng.seeded(5);
    const items = Array.from({ length: 30 }, (_, i) => i);
    const sample = r.sample(items, 10);
    expect(new Set(sample).size).toBe(10);
    expect(r.shuffled(items).sort((a, b) => a - b)).toEqual(items);
    expect(() => r.sample(items, 31)).toThrow(/cannot draw/);
  });

  it('forks an independent stream', () => {
    const parent = Rng.seeded(11);
    const child = parent.fork();
    const xs = Array.from({ length: 10 }, () => child.int(1 << 30));
    const ys = Array.from({ length: 10 }, () => parent.int(1 << 30));
    expect(xs).not.toEqual(ys);
  });
});
