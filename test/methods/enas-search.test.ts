import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Arch, Json, SearchContext, SearchSpace } from '../../src/api/index.js';
import { resumeRuns, runExperiment } from '../../src/harness/experiment.js';
import { loadTensorflow } from '../helpers/tensorflow.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import enas from '../../methods/enas/index.js';
import type { EnasParams } from '../../methods/enas/params.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { type Recorded, drive, searchContext, syntheticEvaluate as evaluate } from '../helpers/search-context.js';

/** A small controller: these tests check the loop's contracts, not the search's quality. */
const QUICK = ['hidden=8'];

/** The synthetic evaluations of proposals given as canonical strings. */
function syntheticEvaluateAll(space: SearchSpace<Arch>, proposed: readonly string[]) {
  return evaluate(space, proposed.map((text) => space.parse(text)), 0);
}

function context(space: SearchSpace<unknown>, seed: number, budget: number, records: Recorded[] = [], assignments = QUICK): SearchContext<EnasParams> {
  return searchContext(enas, space, { seed, budget, records, assignments });
}

const spaces: [string, SearchSpace<unknown>][] = [
  ['nb201', nb201Space],
  ['cnn-micro', cnnMicroSpace],
  ['rnn-cell', rnnCellSpace],
];

describe.each(spaces)('ENAS on %s', (kind, space) => {
  it.each(['lstm', 'table'])('%s: proposes only valid, never repeated architectures, spends the budget and records its updates', async (policy) => {
    const records: Recorded[] = [];
    const ctx = context(space, 1, 21, records, [...QUICK, `policy=${policy}`, 'unique=true']);
    const proposed = await drive(await enas.create(ctx), ctx, 21);
    expect(proposed).toHaveLength(21);
    expect(new Set(proposed).size).toBe(21);
    for (const text of proposed) {
      const arch = ctx.space.parse(text);
      ctx.space.toTokens(arch).forEach((t, p) => expect(ctx.space.grammar.allowed(p)).toContain(t));
    }
    // One update per rewarded sample; a record every 10 updates.
    expect(records.length).toBeGreaterThanOrEqual(1);
    records.forEach((r, i) => expect((r.data as { update: number }).update).toBe(10 * (i + 1)));
    const first = records[0]!.data as Record<string, number>;
    expect(first).toMatchObject({ update: 10, evaluated: expect.any(Number), samples: expect.any(Number), redrawn: expect.any(Number) });
    expect(first.samples).toBeGreaterThanOrEqual(first.evaluated!);
    for (const key of ['baseline', 'reward', 'entropy', 'loss']) expect(Number.isFinite(first[key])).toBe(true);
    expect(kind).toBe(space.kind);
  });
});

describe('ENAS search', () => {
  it('the same seed gives the same proposals, another seed others', async () => {
    const run = async (seed: number) => {
      const ctx = context(nb201Space, seed, 30);
      return drive(await enas.create(ctx), ctx, 30);
    };
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  // cnn-micro is the space whose canonical strings reorder the sampled tokens.
  it.each([
    ['nb201', 1, nb201Space],
    ['cnn-micro', 1, cnnMicroSpace],
    ['nb201', 4, nb201Space],
  ] as const)('%s, batch %i: snapshot after a propose, restore into a new searcher, and it continues identically', async (_, batch, space) => {
    const budget = 16;
    const params = [...QUICK, `batch=${batch}`];
    const reference = context(space, 9, budget, [], params);
    const searcher = await enas.create(reference);
    let used = 0;
    for (let k = 0; k < 3; k++) {
      const proposed = (await searcher.propose(budget - used)).map((a) => reference.space.parse(reference.space.format(a)));
      const observed = evaluate(reference.space, proposed, used);
      if (k === 2) {
        const snapshot = JSON.parse(JSON.stringify(await searcher.snapshot())) as Json;
        const rngState = [...reference.rng.state()];
        await searcher.observe(observed);
        const expected = await drive(searcher, reference, budget, used + proposed.length);

        const resumed = context(space, 9, budget, [], params);
        const copy = await enas.create(resumed);
        await copy.restore(snapshot);
        resumed.rng.reset(rngState);
        await copy.observe(observed);
        expect(await drive(copy, resumed, budget, used + proposed.length)).toEqual(expected);
        return;
      }
      await searcher.observe(observed);
      used += proposed.length;
    }
  });

  it('charges every reward: a repeat is proposed again by default, and with unique=true a discarded draw teaches nothing', async () => {
    // A tiny space in effect: a controller sure of its choices keeps drawing the same cells.
    const params = [...QUICK, 'policy=table', 'lr=0.2', 'squash=false', 'temperature=0.5', 'op_tanh_reduce=1', 'max_resample=1000'];
    const records: Recorded[] = [];
    const ctx = context(nb201Space, 2, 60, records, params);
    const proposed = await drive(await enas.create(ctx), ctx, 60);
    expect(proposed).toHaveLength(60);
    expect(new Set(proposed).size).toBeLessThan(60);
    // One update per evaluation (batch 1): every rewarded sample was proposed and charged.
    const last = records[records.length - 1]!.data as Record<string, number>;
    expect(last.redrawn).toBe(0);
    expect(last.update).toBeLessThanOrEqual(last.samples!);

    const uniqueRecords: Recorded[] = [];
    const unique = context(nb201Space, 2, 100, uniqueRecords, [...params, 'unique=true']);
    const distinct = await drive(await enas.create(unique), unique, 100);
    expect(new Set(distinct).size).toBe(100);
    const end = uniqueRecords[uniqueRecords.length - 1]!.data as Record<string, number>;
    expect(end.redrawn).toBeGreaterThan(10);
    // One update per successful evaluation (batch 1), a record every 10: the discarded draws add
    // none (before the repeat policy each was rewarded from its earlier score, one update more).
    const ok = syntheticEvaluateAll(unique.space, distinct).filter((o) => o.score !== null).length;
    expect(uniqueRecords.map((r) => (r.data as { update: number }).update).at(-1)).toBe(10 * Math.floor(ok / 10));
  });

  it("with final=greedy, recommends the controller's most probable architecture", async () => {
    const ctx = context(rnnCellSpace, 3, 12, [], [...QUICK, 'final=greedy']);
    const searcher = await enas.create(ctx);
    await drive(searcher, ctx, 12);
    const a = ctx.space.format(await searcher.recommend!());
    expect(ctx.space.format(await searcher.recommend!())).toBe(a);
    expect((await enas.create(context(rnnCellSpace, 3, 12))).recommend).toBeUndefined();
  });

  it('holds no tensors between calls', async () => {
    const tf = await loadTensorflow();
    const ctx = context(cnnMicroSpace, 3, 12, [], [...QUICK, 'batch=3']);
    const searcher = await enas.create(ctx);
    const before = tf.memory().numTensors;
    await drive(searcher, ctx, 12);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a snapshot taken with another controller size', async () => {
    const snapshot = await (await enas.create(context(nb201Space, 3, 30))).snapshot();
    const other = await enas.create(context(nb201Space, 3, 30, [], ['hidden=12']));
    await expect(Promise.resolve().then(() => other.restore(snapshot))).rejects.toThrow(/ENAS snapshot: weight .* has \d+ values, the controller needs/);
  });
});

describe('ENAS through the harness (NB201 fixture)', () => {
  let dataDir: DataDir;
  beforeAll(() => {
    dataDir = resolveDataDir(writeNb201Fixture(), {});
  });
  const newStore = () => Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-enas-')), 'runs.db'));
  const request = { method: 'enas', task: 'nb201-cifar10', seeds: [4], budget: 30, params: QUICK };

  it('completes with the budget spent and its diagnostics stored', async () => {
    const store = newStore();
    const { runs } = await runExperiment(store, { ...request, dataDir });
    const run = store.getRun(runs[0]!.runId)!;
    expect(run).toMatchObject({ status: 'completed', evaluations: 30 });
    expect(run.config.label).toBe('REINFORCE (ENAS LSTM controller)');
    expect(run.finalValue).toEqual(expect.any(Number));
    expect(new Set(store.evaluations(run.id).map((e) => e.arch)).size).toBe(30);
    expect(store.diagnostics(run.id).map((d) => [d.kind, d.evaluationsSeen])).toEqual([
      ['enas-update', 10],
      ['enas-update', 20],
      ['enas-update', 30],
    ]);
  });

  it('resumes after a crash with the same architectures as an uninterrupted run', async () => {
    const reference = newStore();
    const ref = await runExperiment(reference, { ...request, dataDir });
    const expected = reference.evaluations(ref.runs[0]!.runId).map((e) => e.arch);
    for (const crashAfter of [7, 22]) {
      const store = newStore();
      let seen = 0;
      const crash = new Error('simulated crash');
      await expect(
        runExperiment(store, { ...request, dataDir }, { commitIntervalMs: 0, onEvaluation: () => { if (++seen === crashAfter) throw crash; } }),
      ).rejects.toBe(crash);
      const runId = store.runs()[0]!.id;
      await resumeRuns(store, { runs: store.runs(), dataDir });
      expect(store.evaluations(runId).map((e) => e.arch)).toEqual(expected);
      expect(store.getRun(runId)).toMatchObject({ status: 'completed', finalValue: reference.getRun(ref.runs[0]!.runId)!.finalValue });
    }
  });
});
