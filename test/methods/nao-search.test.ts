import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Json, MAX_PAIRS, type SearchContext, type SearchSpace } from '../../src/api/index.js';
import { resumeRuns, runExperiment } from '../../src/harness/experiment.js';
import { loadTensorflow } from '../helpers/tensorflow.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { rnnCellSpace } from '../../src/spaces/rnn-cell.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import nao from '../../methods/nao/index.js';
import { predictTokens, spread } from '../../src/api/epd/metrics.js';
import { Epd } from '../../src/api/epd/model.js';
import { NAO_PARAMS, type NaoParams, PAPER_EPD, resolveSettings } from '../../methods/nao/params.js';
import { stateFromJson } from '../../methods/nao/state.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { type Recorded, drive, searchContext, syntheticEvaluate as evaluate, syntheticTask } from '../helpers/search-context.js';

/** Small and quick: these tests check the loop's contracts, not the search's quality. */
const QUICK = ['hidden=8', 'embedding=4', 'mlp_layers=1', 'mlp_hidden=8', 'epochs=2', 'new_per_iteration=8', 'top_k=8', 'seed_fraction=0.4', 'max_eta_steps=8'];

function context(space: SearchSpace<unknown>, seed: number, budget: number, records: Recorded[] = [], assignments = QUICK, goal: 'max' | 'min' = 'max'): SearchContext<NaoParams> {
  return searchContext(nao, space, { seed, budget, records, assignments, task: syntheticTask(goal) });
}

const spaces: [string, SearchSpace<unknown>][] = [
  ['nb201', nb201Space],
  ['cnn-micro', cnnMicroSpace],
  ['rnn-cell', rnnCellSpace],
];

describe.each(spaces)('NAO on %s', (kind, space) => {
  it('proposes only valid, never repeated architectures, spends the budget and reports every iteration', async () => {
    const records: Recorded[] = [];
    const ctx = context(space, 1, 30, records);
    const proposed = await drive(await nao.create(ctx), ctx, 30);
    expect(proposed).toHaveLength(30);
    expect(new Set(proposed).size).toBe(30);
    for (const text of proposed) {
      const arch = ctx.space.parse(text);
      expect(ctx.space.format(arch)).toBe(text);
      ctx.space.toTokens(arch).forEach((t, p) => expect(ctx.space.grammar.allowed(p)).toContain(t));
    }
    // Seeds (12), then iterations of 8, 8 and 2.
    expect(records.map((r) => r.kind)).toEqual(['nao-iteration', 'nao-iteration', 'nao-iteration']);
    const first = records[0]!.data as Record<string, number | null>;
    expect(first).toMatchObject({ iteration: 1, evaluated: 12 });
    expect(first.trained! + first.heldOut!).toBeLessThanOrEqual(12);
    expect(first.generated! + first.randomFill!).toBe(8);
    for (const key of ['reconstruction', 'mse', 'nll', 'trainMs', 'generateMs', 'steps']) expect(first[key]).toEqual(expect.any(Number));
    if (first.generated! > 0) expect(first.etaMax).toBeGreaterThanOrEqual(first.etaMean!);
    expect(kind).toBe(space.kind);
  });
});

describe('NAO configurations and random fill', () => {
  it('config=paper runs the authors’ EPD sizes and schedule, says so in its label, and refuses a clashing size', async () => {
    const paper = context(nb201Space, 1, 150, [], ['config=paper']);
    const settings = resolveSettings(paper.params, 150, paper.space.grammar);
    expect(settings.model).toMatchObject({ hidden: PAPER_EPD.hidden, embedding: PAPER_EPD.embedding, mlpLayers: 0 });
    expect(settings.training).toMatchObject({ epochs: 1000, batchSize: 50, lr: 0.001, weightDecay: 1e-4, gradClip: 5, tradeOff: 0.8 });
    expect(settings).toMatchObject({ config: 'paper', randomFill: false, augment: 0 });
    // The loop's sizes are the scaled ones in both configurations.
    const scaled = resolveSettings(context(nb201Space, 1, 150, [], []).params, 150, nb201Space.grammar);
    expect([settings.seedPool, settings.newPerIteration, settings.topK]).toEqual([scaled.seedPool, scaled.newPerIteration, scaled.topK]);
    expect(scaled.model.hidden).toBe(NAO_PARAMS.hidden.default);
    expect(scaled.randomFill).toBe(true);

    const label = (ctx: SearchContext<NaoParams>) => nao.label!(ctx.params, ctx.task);
    expect(label(paper)).toBe('NAO (paper EPD: LSTM 96, embedding 32, 1000 epochs/iteration)');
    expect(label(context(nb201Space, 1, 150, [], []))).toBe('NAO (scaled EPD: LSTM 16, embedding 8, 15 epochs/iteration, random fill)');
    const clash = context(nb201Space, 1, 150, [], ['config=paper', 'hidden=64']);
    await expect(Promise.resolve().then(() => nao.create(clash))).rejects.toThrow('config=paper fixes hidden=96: drop --param hidden, or use config=scaled');
  });

  // Two sources and one step of η decode at most two new architectures, far fewer than K = 8.
  it.each([true, false])('random_fill=%s: an iteration short of K is filled only when asked, and the fill is counted', async (fill) => {
    const records: Recorded[] = [];
    const ctx = context(nb201Space, 3, 30, records, [...QUICK, 'top_k=2', 'max_eta_steps=1', `random_fill=${fill}`]);
    const searcher = await nao.create(ctx);
    const seeds = await searcher.propose(30);
    await searcher.observe(evaluate(ctx.space, seeds, 0));
    const batch = await searcher.propose(30 - seeds.length);
    const first = records[0]!.data as { generated: number; randomFill: number; wanted: number; reconstruction: number };
    expect(first.wanted).toBe(8);
    expect(first.generated).toBeLessThanOrEqual(2);
    expect(first.randomFill).toBe(fill ? 8 - first.generated : 0);
    expect(batch).toHaveLength(first.generated + first.randomFill);
    expect(first.reconstruction).toEqual(expect.any(Number));
  });
});

describe('NAO predictor diagnostics', () => {
  // For 'min' the harness hands the searcher the metric's negation as its score.
  it.each(['max', 'min'] as const)('records the predictor’s held-out predictions and true values in the metric’s units (goal %s)', async (goal) => {
    const tf = await loadTensorflow();
    const records: Recorded[] = [];
    const ctx = context(nb201Space, 2, 30, records, [...QUICK, 'holdout=0.3'], goal);
    const metricOf = new Map<string, number>();
    const searcher = await nao.create(ctx);
    const seeds = await searcher.propose(30);
    const observed = evaluate(ctx.space, seeds, 0);
    for (const o of observed) if (o.score !== null) metricOf.set(ctx.space.format(o.arch), goal === 'max' ? o.score : -o.score);
    await searcher.observe(observed);
    await searcher.propose(30 - seeds.length); // trains the EPD and records the first iteration
    const diagnostics = records[0]!.data as { heldOut: number; pairs: [number, number][] };

    // The same predictor, rebuilt from the weights the iteration ended with, on the held-out pool.
    const settings = resolveSettings(ctx.params, 30, ctx.space.grammar);
    const state = stateFromJson(await searcher.snapshot(), settings.model);
    const ok = state.pool.filter((m) => m.score !== null);
    const heldOut = ok.filter((m) => m.heldOut);
    const trainScores = ok.filter((m) => m.heldOut === false).map((m) => m.score!);
    const [lo, hi] = [Math.min(...trainScores), Math.max(...trainScores)];
    const epd = new Epd(tf, settings.model, state.weights, (p) => ctx.space.grammar.allowed(p));
    const raw = predictTokens(tf, epd, heldOut.map((m) => ctx.space.toTokens(ctx.space.parse(m.arch))));
    epd.dispose();

    expect(heldOut.length).toBeGreaterThanOrEqual(3);
    expect(diagnostics.heldOut).toBe(heldOut.length);
    expect(diagnostics.pairs).toHaveLength(heldOut.length);
    diagnostics.pairs.forEach(([predicted, actual], i) => {
      const score = lo + raw[i]! * (hi - lo);
      expect(predicted).toBeCloseTo(goal === 'max' ? score : -score, 3);
      expect(actual).toBeCloseTo(metricOf.get(heldOut[i]!.arch)!, 3);
    });
    // The predictions vary with the architecture: not one constant de-normalised output.
    expect(new Set(diagnostics.pairs.map(([p]) => p)).size).toBeGreaterThan(1);
  });

  it('keeps at most MAX_PAIRS pairs, spread evenly and in order', () => {
    const many = Array.from({ length: 2 * MAX_PAIRS + 1 }, (_, i) => i);
    const kept = spread(many, MAX_PAIRS);
    expect(kept).toHaveLength(MAX_PAIRS);
    expect(kept[0]).toBe(0);
    expect(kept.every((x, i) => i === 0 || x - kept[i - 1]! === 2)).toBe(true);
    expect(spread(many.slice(0, 5), MAX_PAIRS)).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('NAO determinism', () => {
  it('the same seed gives the same proposals, another seed others', async () => {
    const run = async (seed: number) => {
      const ctx = context(nb201Space, seed, 30);
      return drive(await nao.create(ctx), ctx, 30);
    };
    const [a, b, c] = [await run(5), await run(5), await run(6)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  // cnn-micro is the space with rewritings to augment with; the others differ only in sizes.
  it.each(spaces.slice(0, 2))('%s: snapshot after a propose, restore into a new searcher, and it continues identically', async (_, space) => {
    const budget = 30;
    const reference = context(space, 9, budget);
    const searcher = await nao.create(reference);
    // Two proposes in (seeds, first iteration), as the harness would snapshot them.
    let used = 0;
    for (let k = 0; k < 2; k++) {
      const batch = await searcher.propose(budget - used);
      if (k === 1) {
        const snapshot = JSON.parse(JSON.stringify(await searcher.snapshot())) as Json;
        const rngState = [...reference.rng.state()];
        const observed = evaluate(reference.space, batch, used);
        await searcher.observe(observed);
        const expected = await drive(searcher, reference, budget, used + batch.length);

        const resumed = context(space, 9, budget);
        const copy = await nao.create(resumed);
        await copy.restore(snapshot);
        resumed.rng.reset(rngState);
        await copy.observe(observed.map((o) => ({ ...o, arch: resumed.space.parse(resumed.space.format(o.arch)) })));
        expect(await drive(copy, resumed, budget, used + batch.length)).toEqual(expected);
        return;
      }
      await searcher.observe(evaluate(reference.space, batch, used));
      used += batch.length;
    }
  });

  it('holds no tensors between calls', async () => {
    const tf = await loadTensorflow();
    const ctx = context(nb201Space, 3, 30);
    const searcher = await nao.create(ctx);
    const before = tf.memory().numTensors;
    await drive(searcher, ctx, 30);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a snapshot taken with other model sizes', async () => {
    const ctx = context(nb201Space, 3, 30);
    const snapshot = await (await nao.create(ctx)).snapshot();
    const other = await nao.create(context(nb201Space, 3, 30, [], [...QUICK, 'hidden=12']));
    await expect(Promise.resolve().then(() => other.restore(snapshot))).rejects.toThrow(/NAO snapshot: weight .* has \d+ values, the model needs/);
  });
});

describe('NAO through the harness (NB201 fixture)', () => {
  let dataDir: DataDir;
  beforeAll(() => {
    dataDir = resolveDataDir(writeNb201Fixture(), {});
  });
  const newStore = () => Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-nao-')), 'runs.db'));
  const request = { method: 'nao', task: 'nb201-cifar10', seeds: [4], budget: 40, params: QUICK };

  it('completes with the budget spent and its diagnostics stored', async () => {
    const store = newStore();
    const { runs } = await runExperiment(store, { ...request, dataDir });
    const run = store.getRun(runs[0]!.runId)!;
    expect(run).toMatchObject({ status: 'completed', evaluations: 40 });
    expect(run.finalValue).toEqual(expect.any(Number));
    const evaluations = store.evaluations(run.id);
    expect(new Set(evaluations.map((e) => e.arch)).size).toBe(40);
    const diagnostics = store.diagnostics(run.id);
    expect(diagnostics.map((d) => [d.kind, d.evaluationsSeen])).toEqual([
      ['nao-iteration', 16],
      ['nao-iteration', 24],
      ['nao-iteration', 32],
    ]);
  });

  it('resumes after a crash with the same architectures as an uninterrupted run', async () => {
    const reference = newStore();
    const ref = await runExperiment(reference, { ...request, dataDir });
    const expected = reference.evaluations(ref.runs[0]!.runId).map((e) => e.arch);
    for (const crashAfter of [20, 33]) {
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
