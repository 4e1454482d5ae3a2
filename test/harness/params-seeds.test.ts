import { describe, expect, it } from 'vitest';
import { definePlugin, type ParamSpecs } from '../../src/api/index.js';
import { UserError } from '../../src/errors.js';
import { effectiveParams, resolveParams } from '../../src/harness/params.js';
import nao from '../../methods/nao/index.js';
import { mixSeed } from '../../src/api/seed-mix.js';
import { SEED_DERIVATION, parseSeeds, runSeeds, seedDerivationOf } from '../../src/harness/seeds.js';

const specs: ParamSpecs = {
  population: { type: 'int', default: 10, min: 2, doc: 'P' },
  lr: { type: 'float', default: 0.1, min: 0, max: 1, doc: 'learning rate' },
  greedy: { type: 'bool', default: false, doc: 'g' },
  mode: { type: 'enum', default: 'a', choices: ['a', 'b'], doc: 'm' },
};

describe('effectiveParams: a parameter that fixes others', () => {
  // mode=b fixes lr at 0.5 and refuses any other lr than the default or that.
  const plugin = (settle: (p: Record<string, unknown>) => Record<string, unknown>) =>
    definePlugin({ name: 'm', description: 'd', spaces: 'any', params: specs, effectiveParams: settle as never, create: () => Promise.reject(new Error('not run')) });
  const fixing = plugin((p) => {
    if (p.mode !== 'b') return p;
    if (p.lr !== 0.1 && p.lr !== 0.5) throw new Error(`mode=b fixes lr=0.5: drop --param lr`);
    return { ...p, lr: 0.5 };
  });

  it('returns the values that run, and the asked ones for a plugin without it', () => {
    expect(effectiveParams(fixing, resolveParams('m', specs, ['mode=b']))).toEqual({ population: 10, lr: 0.5, greedy: false, mode: 'b' });
    expect(effectiveParams(fixing, resolveParams('m', specs, ['lr=0.3']))).toMatchObject({ lr: 0.3, mode: 'a' });
    const asked = resolveParams('m', specs, ['lr=0.3']);
    expect(effectiveParams(plugin((p) => p), asked)).toEqual(asked);
  });

  it("turns the plugin's refusal into the user's one-line --param error", () => {
    const refused = () => effectiveParams(fixing, resolveParams('m', specs, ['mode=b', 'lr=0.3']));
    expect(refused).toThrow(UserError);
    expect(refused).toThrow('--param (m): mode=b fixes lr=0.5: drop --param lr');
  });

  it("passes a plugin's bug through as its own, not as the user's --param", () => {
    const buggy = plugin((p) => (p as { missing: { k: number } }).missing.k as never);
    expect(() => effectiveParams(buggy, resolveParams('m', specs, []))).toThrow(TypeError);
  });

  it('blames the plugin for values its own specs do not allow', () => {
    expect(() => effectiveParams(plugin((p) => ({ ...p, lr: 7 })), resolveParams('m', specs, []))).toThrow('plugin m: effectiveParams() returned values its params do not allow (lr)');
    expect(() => effectiveParams(plugin((p) => ({ ...p, extra: 1 })), resolveParams('m', specs, []))).toThrow('(extra)');
    expect(() => effectiveParams(plugin(() => null as never), resolveParams('m', specs, []))).toThrow('(not an object)');
  });

  it("NAO's config=paper settles to the authors' EPD, once", () => {
    const paper = effectiveParams(nao, resolveParams('nao', nao.params, ['config=paper']));
    expect(paper).toMatchObject({ config: 'paper', hidden: 96, embedding: 32, mlp_layers: 0, epochs: 1000, batch_size: 50, lr: 0.001, augment: 0, random_fill: false });
    expect(effectiveParams(nao, paper)).toEqual(paper);
    const scaled = resolveParams('nao', nao.params, []);
    expect(effectiveParams(nao, scaled)).toEqual(scaled);
  });
});

describe('resolveParams', () => {
  it('applies assignments over documented defaults', () => {
    expect(resolveParams('m', specs, ['population=20', 'lr=0.5', 'greedy=true', 'mode=b'])).toEqual({ population: 20, lr: 0.5, greedy: true, mode: 'b' });
    expect(resolveParams('m', specs, [])).toEqual({ population: 10, lr: 0.1, greedy: false, mode: 'a' });
  });

  it.each([
    ['population=abc', "--param population=abc: 'population' of m expects an integer ≥ 2, got 'abc'"],
    ['population=2.5', "--param population=2.5: 'population' of m expects an integer ≥ 2, got '2.5'"],
    ['population=1', "--param population=1: 'population' of m expects an integer ≥ 2, got '1'"],
    ['lr=2', "--param lr=2: 'lr' of m expects a number in [0, 1], got '2'"],
    ['greedy=yes', "--param greedy=yes: 'greedy' of m expects true or false, got 'yes'"],
    ['mode=c', "--param mode=c: 'mode' of m expects one of a, b, got 'c'"],
    ['size=3', "--param size=3: m has no parameter 'size'; expected one of population, lr, greedy, mode"],
    ['population', '--param population: expected key=value'],
    ['population=1e300', "--param population=1e300: 'population' of m expects an integer ≥ 2, got '1e300'"],
    ['population=0x10', "--param population=0x10: 'population' of m expects an integer ≥ 2, got '0x10'"],
    ['population=16.0', "--param population=16.0: 'population' of m expects an integer ≥ 2, got '16.0'"],
    ['population=9007199254740993', "--param population=9007199254740993: 'population' of m expects an integer ≥ 2, got '9007199254740993'"],
    ['lr=0x1', "--param lr=0x1: 'lr' of m expects a number in [0, 1], got '0x1'"],
    ['lr= 0.5', "--param lr= 0.5: 'lr' of m expects a number in [0, 1], got ' 0.5'"],
  ])('rejects %s', (assignment, message) => {
    expect(() => resolveParams('m', specs, [assignment])).toThrow(message);
  });

  it('accepts a float in decimal or exponent notation, an integer in decimal', () => {
    expect(resolveParams('m', specs, ['lr=1e-3', 'population=+16'])).toMatchObject({ lr: 0.001, population: 16 });
    expect(resolveParams('m', specs, ['lr=.5'])).toMatchObject({ lr: 0.5 });
  });
});

describe('parseSeeds', () => {
  it('reads a count, a list and ranges', () => {
    expect(parseSeeds('3')).toEqual([0, 1, 2]);
    expect(parseSeeds('1,5,9')).toEqual([1, 5, 9]);
    expect(parseSeeds('7,')).toEqual([7]);
    expect(parseSeeds('10..12,20')).toEqual([10, 11, 12, 20]);
  });

  it.each(['0', '-1', 'x', '1,,a', '5..2', '1,1', '99999999999'])('rejects %s', (text) => {
    expect(() => parseSeeds(text)).toThrow(/^--seeds /);
  });

  // A count or a range is checked against the bound before any list is built: 2147483647 seeds
  // used to hang the process while it filled memory.
  it.each(['100001', '2147483647', '0..100000', '0..99999999', '5,0..2147483646', '0..60000,100000..160000'])('rejects more than 100000 seeds: %s', (text) => {
    expect(() => parseSeeds(text)).toThrow(`--seeds ${JSON.stringify(text)}: at most 100000 seeds per experiment`);
  });

  it('accepts exactly 100000 seeds', () => {
    expect(parseSeeds('100000')).toHaveLength(100_000);
    expect(parseSeeds('5..100004').at(-1)).toBe(100_004);
  });

  it('derives distinct evaluation seeds from (run seed, ordinal)', () => {
    const seeds = new Set<number>();
    for (let s = 0; s < 20; s++) for (let o = 0; o < 200; o++) seeds.add(runSeeds(s, SEED_DERIVATION).evaluation(o));
    expect(seeds.size).toBe(4000);
    expect(runSeeds(3, SEED_DERIVATION).evaluation(4)).toBe(runSeeds(3, SEED_DERIVATION).evaluation(4));
  });

  it('mixes seeds in exact integer arithmetic, whatever their size', () => {
    // The same finaliser over (a·0x9e3779b1 + b·0x85ebca6b + 0x632be5ab) mod 2^32, computed with BigInt.
    const reference = (a: number, b: number): number => {
      let h = Number((BigInt(a) * 0x9e3779b1n + BigInt(b) * 0x85ebca6bn + 0x632be5abn) % 2n ** 32n);
      h = Math.imul(h ^ (h >>> 16), 0x21f0aaad) >>> 0;
      h = Math.imul(h ^ (h >>> 15), 0x735a2d97) >>> 0;
      return (h ^ (h >>> 15)) >>> 0;
    };
    for (const [a, b] of [[0, 0], [7, 0xfffffffe], [2 ** 31 - 1, 3], [123_456_789, 0xffffffff], [99, 149]] as const) expect(mixSeed(a, b)).toBe(reference(a, b));
    const seeds = runSeeds(2 ** 31 - 1, SEED_DERIVATION);
    expect([seeds.evaluation(3), seeds.final(), seeds.supernet()]).toEqual([reference(2 ** 31 - 1, 3), reference(2 ** 31 - 1, 0xffffffff), reference(2 ** 31 - 1, 0xfffffffe)]);
  });

  it('experiments stored before seed derivation 2 keep their seeds, so that their runs resume as they began', () => {
    expect(seedDerivationOf({})).toBe(1);
    expect(seedDerivationOf({ seedDerivation: 2 })).toBe(2);
    // Derivation 1's values as stored runs used them (its float products lost bits above 2^53).
    expect(runSeeds(0, 1).final()).toBe(1536493906);
    expect(runSeeds(7, 1).supernet()).toBe(3727204809);
    expect(runSeeds(0, 2).final()).toBe(3667800954);
    // Search evaluations of seeds and ordinals of this size are the same under both.
    for (let s = 0; s < 100; s++) for (let o = 0; o < 300; o += 7) expect(runSeeds(s, 1).evaluation(o)).toBe(runSeeds(s, 2).evaluation(o));
    expect(() => runSeeds(0, 3)).toThrow(/seed derivation 3/);
  });
});
