import { describe, expect, it } from 'vitest';
import { type Arch, type Json, type SearchContext, type SearchSpace, kendallTau } from '../../src/api/index.js';
import { resolveParams } from '../../src/harness/params.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import enas from '../../methods/enas/index.js';
import type { EnasParams } from '../../methods/enas/params.js';
import { type DerivedDiagnostics, type EpochDiagnostics, rewardOf } from '../../methods/enas/weight-sharing.js';
import { type Event, fakeSupernet, type sharedScore, standalone, syntheticTrainedTask } from '../helpers/fake-supernet.js';
import { type Recorded, searchContext } from '../helpers/search-context.js';

/** Two epochs of the stand-in's ten steps, three updates of two samples after each, eight cells derived. */
const QUICK = ['hidden=8', 'epochs=2', 'controller_steps=3', 'batch=2', 'derive_samples=8', 'score_batches=2'];

function context(
  space: SearchSpace<unknown>,
  seed: number,
  records: Recorded[],
  events: Event[],
  options: { goal?: 'max' | 'min'; assignments?: string[]; scoreOf?: typeof sharedScore } = {},
): SearchContext<EnasParams> {
  const goal = options.goal ?? 'max';
  const task = syntheticTrainedTask(goal);
  const supernet = fakeSupernet(space as SearchSpace<Arch>, task.objective.metric, goal, events, options.scoreOf);
  return searchContext(enas, space, { seed, budget: 6, records, assignments: options.assignments ?? QUICK, task, supernet });
}

const scores = (events: readonly Event[]) => events.filter((e): e is Extract<Event, { kind: 'score' }> => e.kind === 'score');

describe.each([
  ['cnn-micro', 'max', cnnMicroSpace],
  ['rnn-cell', 'min', rnnCellSpace],
] as const)('ENAS with weight sharing on %s (%s objective)', (_, goal, space) => {
  it('alternates supernet epochs on fresh samples with controller updates, then ranks derived cells on fixed batches', async () => {
    const records: Recorded[] = [];
    const events: Event[] = [];
    const ctx = context(space, 1, records, events, { goal });
    const searcher = await enas.create(ctx);
    const proposed = await searcher.propose(5);

    // Epoch = 10 training steps, then 3 updates × 2 samples, each scored on the next validation batch.
    const kinds = events.map((e) => (e.kind === 'train' ? 't' : (e.options.fixed ? 'd' : 'r'))).join('');
    const derivedCount = scores(events).filter((e) => e.options.fixed).length;
    expect(kinds).toBe(`${'t'.repeat(10)}${'r'.repeat(6)}${'t'.repeat(10)}${'r'.repeat(6)}${'d'.repeat(derivedCount)}`);
    for (const e of scores(events)) expect(e.options).toEqual(e.options.fixed ? { batches: 2, fixed: true } : {});
    // Fresh samples: the controller does not repeat one architecture for a whole epoch.
    const trained = events.filter((e) => e.kind === 'train').map((e) => e.arch);
    expect(new Set(trained.slice(0, 10)).size).toBeGreaterThan(5);

    // Derived cells are distinct, each scored once; the proposals are the best by shared score, then a spread below.
    const derived = scores(events).filter((e) => e.options.fixed);
    expect(new Set(derived.map((e) => e.arch)).size).toBe(derived.length);
    expect(derivedCount).toBeGreaterThanOrEqual(5);
    // Best first (a stable sort: ties keep the order they were drawn in, as the search ranks them).
    const better = (e: (typeof derived)[number]) => (goal === 'max' ? e.value : -e.value);
    const ranking = [...derived].sort((a, b) => better(b) - better(a));
    const texts = proposed.map((a) => space.format(a as never));
    expect(texts.slice(0, 4)).toEqual(ranking.slice(0, 4).map((e) => e.arch));
    expect(texts[4]).toBe(ranking.at(-1)!.arch);
    expect(await searcher.propose(5)).toEqual([]);

    expect(records.map((r) => r.kind)).toEqual(['enas-epochs', 'enas-epochs', 'enas-derived']);
    const epochs = records[1]!.data as unknown as EpochDiagnostics[];
    expect(epochs.map((e) => [e.epoch, e.supernetSteps, e.supernetLoss, e.updates])).toEqual([
      [1, 10, 1.5, 3],
      [2, 10, 1.5, 3],
    ]);
    for (const e of epochs) {
      expect(e.supernetSeconds).toBeCloseTo(10 * 0.5 + 6 * 0.25, 9);
      expect(e.reward).toBeGreaterThan(0);
      expect(e.entropy).toBeGreaterThan(0);
    }
    const d = records[2]!.data as unknown as DerivedDiagnostics;
    expect(d).toMatchObject({ drawn: 8, distinct: derivedCount });
    expect(d.best).toBeCloseTo(ranking[0]!.value, 3);
    expect(d.worst).toBeCloseTo(ranking.at(-1)!.value, 3);
  }, 120_000);
});

describe('ENAS with weight sharing', () => {
  it('rewards are ENAS’s: accuracy as a fraction, 80 / perplexity, nothing for a diverged score', () => {
    const image = { name: 'i', kind: 'image', objective: { metric: 'valid_acc', goal: 'max', label: '' } } as const;
    const text = { name: 't', kind: 'text', objective: { metric: 'valid_ppl', goal: 'min', label: '' } } as const;
    expect(rewardOf(image, { valid_acc: 37.5 })).toBeCloseTo(0.375, 12);
    expect(rewardOf(text, { valid_ppl: 160 })).toBeCloseTo(0.5, 12);
    expect(rewardOf(text, { valid_ppl: Number.POSITIVE_INFINITY })).toBe(0);
    expect(rewardOf(image, { valid_acc: Number.NaN })).toBe(0);
  });

  it('the controller learns from the shared-weight rewards: the mean reward rises over the epochs', async () => {
    // Rewards the share of a cell's tokens that are the first choice at their position (node 0, the first op).
    const zeros = (sp: SearchSpace<Arch>, arch: Arch) => {
      const tokens = sp.toTokens(arch);
      return (100 * tokens.filter((t) => t === 0).length) / tokens.length;
    };
    const records: Recorded[] = [];
    const ctx = context(cnnMicroSpace, 4, records, [], {
      assignments: ['hidden=16', 'lr=0.05', 'epochs=6', 'controller_steps=4', 'batch=5', 'derive_samples=20'],
      scoreOf: zeros,
    });
    await (await enas.create(ctx)).propose(4);
    const epochs = records.filter((r) => r.kind === 'enas-epochs').at(-1)!.data as unknown as EpochDiagnostics[];
    expect(epochs).toHaveLength(6);
    expect(epochs.at(-1)!.reward!).toBeGreaterThan(epochs[0]!.reward! + 0.1);
    expect(epochs.at(-1)!.entropy!).toBeLessThan(epochs[0]!.entropy!);
  }, 120_000);

  it('records Kendall τ over the re-ranked cells, resumes from its snapshot without the supernet, and is deterministic', async () => {
    const recordsA: Recorded[] = [];
    const ctxA = context(rnnCellSpace, 2, recordsA, [], { goal: 'min' });
    const a = await enas.create(ctxA);
    const proposed = await a.propose(6);
    const snapshot = JSON.parse(JSON.stringify(await a.snapshot())) as Json;
    const results = standalone(ctxA.space, proposed, 1);
    await a.observe(results);
    const correlation = recordsA.at(-1)!;
    expect(correlation.kind).toBe('weight-sharing-correlation');
    const data = correlation.data as { tau: number | null; n: number; pairs: [number, number][] };
    expect(data.n).toBe(proposed.length - 1);
    const tau = kendallTau(data.pairs.map((p) => p[0]), data.pairs.map((p) => p[1]));
    expect(data.tau).toBeCloseTo(tau ?? Number.NaN, 4);

    const eventsB: Event[] = [];
    const recordsB: Recorded[] = [];
    const b = await enas.create(context(rnnCellSpace, 99, recordsB, eventsB, { goal: 'min' }));
    await b.restore(snapshot);
    await b.observe(results);
    expect(recordsB).toEqual([correlation]);
    expect(rnnCellSpace.format((await b.recommend!()) as never)).toBe(rnnCellSpace.format((await a.recommend!()) as never));
    expect(eventsB).toEqual([]);

    const again = await (await enas.create(context(rnnCellSpace, 2, [], [], { goal: 'min' }))).propose(6);
    expect(again).toEqual(proposed);
  }, 120_000);

  it('refuses weight sharing on a tabular task, with the way out', async () => {
    const ctx = { ...context(cnnMicroSpace, 1, [], []), task: { name: 'nb201-cifar10', kind: 'tabular', objective: { metric: 'valid_acc', goal: 'max', label: '' } } } as const;
    const withMode = { ...ctx, params: resolveParams('enas', enas.params, ['mode=weight-sharing']) as unknown as EnasParams };
    await expect(Promise.resolve().then(() => enas.create(withMode))).rejects.toThrow('mode=weight-sharing needs a supernet, and nb201-cifar10 is a tabular task: use mode=standalone (or auto)');
  });
});
