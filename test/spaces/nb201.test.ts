import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/api/index.js';
import { NB201_OPS, nb201Space } from '../../src/spaces/nb201.js';
import { allNb201Strings } from '../helpers/nb201-fixture.js';

const BEST_CIFAR10 = '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';

describe('nb201 space', () => {
  it('parses and formats the standard string', () => {
    const arch = nb201Space.parse(BEST_CIFAR10);
    expect(arch.ops).toEqual(['nor_conv_3x3', 'nor_conv_3x3', 'nor_conv_3x3', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3']);
    expect(nb201Space.format(arch)).toBe(BEST_CIFAR10);
  });

  it('round-trips all 15,625 cells through strings and tokens, with distinct hashes', () => {
    const strings = allNb201Strings();
    expect(strings).toHaveLength(nb201Space.size);
    const hashes = new Set<string>();
    for (const s of strings) {
      const arch = nb201Space.parse(s);
      expect(nb201Space.format(arch)).toBe(s);
      expect(nb201Space.format(nb201Space.fromTokens(nb201Space.toTokens(arch)))).toBe(s);
      hashes.add(nb201Space.hash(arch));
    }
    expect(hashes.size).toBe(strings.length);
  });

  it('hashes stably: the same cell gives the same 16-hex-digit hash', () => {
    const h = nb201Space.hash(nb201Space.parse(BEST_CIFAR10));
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(nb201Space.hash(nb201Space.parse(BEST_CIFAR10))).toBe(h);
  });

  it.each([
    ['', 'empty'],
    ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|', 'two nodes'],
    ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|conv_7x7~2|', 'unknown op'],
    ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|', 'wrong source'],
    ['|nor_conv_3x3~0|+|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|', 'missing edge'],
    ['nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|', 'missing bar'],
    ['|nor_conv_3x3~0~1|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|', 'extra field'],
  ])('rejects a malformed string (%s: %s) quoting it and saying what was expected', (text) => {
    expect(() => nb201Space.parse(text)).toThrow(`invalid nb201 architecture ${JSON.stringify(text)}: expected 3 groups`);
  });

  it('rejects token sequences that break the grammar', () => {
    expect(() => nb201Space.fromTokens([0, 1, 2])).toThrow(/6 op tokens/);
    expect(() => nb201Space.fromTokens([0, 1, 2, 3, 4, 5])).toThrow(/6 op tokens/);
  });

  it('mutates exactly one edge to a different op', () => {
    const rng = Rng.seeded(0);
    for (let i = 0; i < 500; i++) {
      const a = nb201Space.sample(rng);
      const b = nb201Space.mutate(a, rng);
      const diffs = a.ops.filter((op, e) => op !== b.ops[e]).length;
      expect(diffs).toBe(1);
    }
  });

  it('samples every op on every edge about equally often', () => {
    const rng = Rng.seeded(42);
    const counts = Array.from({ length: 6 }, () => new Map<string, number>());
    for (let i = 0; i < 10_000; i++) {
      nb201Space.sample(rng).ops.forEach((op, e) => counts[e]!.set(op, (counts[e]!.get(op) ?? 0) + 1));
    }
    for (const edge of counts) for (const op of NB201_OPS) expect(Math.abs((edge.get(op) ?? 0) - 2000)).toBeLessThan(200);
  });
});
