import { describe, expect, it } from 'vitest';
import { Rng, type SearchSpace } from '../../src/api/index.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';

const spaces: [string, SearchSpace<any>][] = [
  ['nb201', nb201Space],
  ['cnn-micro', cnnMicroSpace],
  ['rnn-cell', rnnCellSpace],
];

describe.each(spaces)('%s satisfies the SearchSpace contract', (kind, space) => {
  const rng = Rng.seeded(2024);
  const samples = Array.from({ length: 300 }, () => space.sample(rng));

  it('has its kind and a grammar whose every position allows some tokens', () => {
    expect(space.kind).toBe(kind);
    for (let p = 0; p < space.grammar.length; p++) {
      const allowed = space.grammar.allowed(p);
      expect(allowed.length).toBeGreaterThan(0);
      for (const t of allowed) expect(t).toBeGreaterThanOrEqual(0), expect(t).toBeLessThan(space.grammar.vocabSize);
    }
  });

  it('formats canonically: parse(format(a)) formats the same, and tokens round-trip', () => {
    for (const a of samples) {
      const text = space.format(a);
      expect(space.format(space.parse(text))).toBe(text);
      const tokens = space.toTokens(a);
      expect(tokens).toHaveLength(space.grammar.length);
      tokens.forEach((t, p) => expect(space.grammar.allowed(p)).toContain(t));
      expect(space.format(space.fromTokens(tokens))).toBe(text);
      expect(space.hash(space.parse(text))).toBe(space.hash(a));
    }
  });

  it('mutates into a different architecture by changing one token', () => {
    for (const a of samples) {
      const b = space.mutate(a, rng);
      expect(space.format(b)).not.toBe(space.format(a));
      const [ta, tb] = [space.toTokens(a), space.toTokens(b)];
      expect(ta.filter((t, p) => t !== tb[p])).toHaveLength(1);
    }
  });

  it('lists equivalents that are the same network written differently', () => {
    for (const a of samples.slice(0, 50)) {
      for (const e of space.equivalents(a)) {
        expect(space.format(e)).toBe(space.format(a));
        expect(space.toTokens(e)).not.toEqual(space.toTokens(a));
      }
    }
  });

  it('rejects malformed strings and token sequences, quoting the input', () => {
    for (const bad of ['', 'garbage', space.format(samples[0]) + '|extra']) {
      expect(() => space.parse(bad)).toThrow(`invalid ${kind} architecture ${JSON.stringify(bad)}: expected `);
    }
    expect(() => space.fromTokens([])).toThrow(`invalid ${kind} architecture`);
    const tokens = space.toTokens(samples[0]);
    tokens[0] = space.grammar.vocabSize;
    expect(() => space.fromTokens(tokens)).toThrow(`invalid ${kind} architecture`);
  });
});

describe('cnn-micro', () => {
  const text =
    'normal:0 sep_conv_3x3 1 identity|0 avg_pool_3x3 2 sep_conv_5x5|1 max_pool_3x3 3 identity|0 identity 4 sep_conv_3x3|1 sep_conv_5x5 5 avg_pool_3x3;' +
    'reduce:0 max_pool_3x3 1 sep_conv_5x5|1 avg_pool_3x3 2 identity|0 sep_conv_3x3 3 max_pool_3x3|2 identity 4 identity|0 sep_conv_5x5 1 sep_conv_3x3';

  it('reads the canonical string with 40 tokens over a 12-token vocabulary', () => {
    const arch = cnnMicroSpace.parse(text);
    expect(cnnMicroSpace.format(arch)).toBe(text);
    expect(cnnMicroSpace.toTokens(arch).slice(0, 8)).toEqual([0, 7, 1, 11, 0, 9, 2, 8]);
    expect(cnnMicroSpace.grammar).toMatchObject({ length: 40, vocabSize: 12 });
  });

  it('treats the two branches of a node as interchangeable', () => {
    const swapped = text.replace('normal:0 sep_conv_3x3 1 identity', 'normal:1 identity 0 sep_conv_3x3');
    expect(cnnMicroSpace.format(cnnMicroSpace.parse(swapped))).toBe(text);
    expect(cnnMicroSpace.equivalents(cnnMicroSpace.parse(text))).toHaveLength(10);
  });

  it.each([
    ['node 0 reading node 0', text.replace('normal:0 sep_conv_3x3 1 identity', 'normal:2 sep_conv_3x3 1 identity')],
    ['an unknown op', text.replace('0 avg_pool_3x3 2', '0 conv_7x7 2')],
    ['four nodes', text.replace('|1 sep_conv_5x5 5 avg_pool_3x3;', ';')],
    ['cells swapped', text.split(';').reverse().join(';')],
  ])('rejects %s', (_, bad) => {
    expect(() => cnnMicroSpace.parse(bad)).toThrow(/^invalid cnn-micro architecture ".*": expected 'normal:' and 'reduce:' cells/);
  });
});

describe('rnn-cell', () => {
  const text = '0 tanh|1 relu|1 sigmoid|2 identity|0 tanh|5 relu|3 tanh|7 sigmoid|8 relu|4 identity|10 tanh|11 relu';

  it('reads the canonical string with 24 tokens', () => {
    const arch = rnnCellSpace.parse(text);
    expect(rnnCellSpace.format(arch)).toBe(text);
    expect(rnnCellSpace.toTokens(arch).slice(0, 6)).toEqual([0, 12, 1, 13, 1, 15]);
    expect(rnnCellSpace.grammar.length).toBe(24);
  });

  it.each([
    ['node 1 reading itself', text.replace(/^0 tanh/, '1 tanh')],
    ['an unknown activation', text.replace('2 identity', '2 elu')],
    ['eleven nodes', text.replace('|11 relu', '')],
  ])('rejects %s', (_, bad) => {
    expect(() => rnnCellSpace.parse(bad)).toThrow(/^invalid rnn-cell architecture ".*": expected 12 nodes/);
  });
});
