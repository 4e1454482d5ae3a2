import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { definePlugin, Rng, type Arch, type Json, type SearcherPlugin, type Supernet } from '../../src/api/index.js';
import { PTB_DIR, PTB_FILES } from '../../src/data/word-corpus.js';
import type { SupernetCore } from '../../src/engine/supernet.js';
import { resolveParams } from '../../src/harness/params.js';
import { executeRun, type RunHooks } from '../../src/harness/run-loop.js';
import { RunSupernet, type SupernetWork } from '../../src/harness/supernet.js';
import { improvements, selectedRuns } from '../../src/report/queries.js';
import { cnnMicroSpace } from '../../src/spaces/cnn-micro.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import { openImageEvaluator } from '../../src/tasks/image-evaluator.js';
import type { ImagePresets } from '../../src/tasks/image-tasks.js';
import { getTask } from '../../src/tasks/index.js';
import { openTextEvaluator } from '../../src/tasks/text-evaluator.js';
import type { TextPresets } from '../../src/tasks/text-tasks.js';
import type { Evaluation, Evaluator } from '../../src/tasks/types.js';
import { tempDir, writeFile } from '../data/fixtures.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { writeFashionFixture } from '../helpers/fashion-fixture.js';

/** The fixtures are not the published files: opening them needs the user's say-so. */
const OPEN = { backend: 'cpu', fetch: false, preset: 'mini', allowUnverifiedData: true } as const;
const SGD = { lr: 0.05, lrMin: 0, momentum: 0.9, weightDecay: 1e-4, gradClip: 5 };
const NO_AUG = { padCrop: 0, flip: false, cutout: 0 };

/** Tiny children (one training step each) and a tiny supernet, so that a run takes seconds on the cpu backend. */
const IMAGE_PRESETS: ImagePresets = {
  mini: {
    search: { filters: 2, cellsPerStage: 1, trainImages: 16, validImages: 8, train: { ...SGD, epochs: 1, batchSize: 16, augment: NO_AUG } },
    final: { filters: 2, cellsPerStage: 1, trainImages: 16, validImages: 0, train: { ...SGD, epochs: 1, batchSize: 16, augment: NO_AUG } },
    supernet: { filters: 2, cellsPerStage: 1, batchSize: 4, validBatchSize: 4, augment: NO_AUG, train: { ...SGD, epochs: 2 } },
  },
};

const fashionFixture = (train: number, test: number): DataDir => resolveDataDir(writeFashionFixture(train, test), {});

/**
 * A weight-sharing searcher in miniature: every propose trains the supernet for two steps on
 * architectures it samples, scores one candidate on the fixed validation batch, and proposes it.
 * Its snapshot carries the supernet's.
 */
const sharing = definePlugin({
  name: 'share-test',
  description: 'trains and scores the supernet in every propose',
  spaces: 'any',
  params: {},
  async create(ctx) {
    const supernet: Supernet = await ctx.supernet();
    let scores: number[] = [];
    return {
      async propose() {
        const result = await supernet.train(2, () => ctx.space.sample(ctx.rng));
        if (result.steps !== 2 || result.diverged) throw new Error(`unexpected training result ${JSON.stringify(result)}`);
        const arch = ctx.space.sample(ctx.rng);
        scores.push((await supernet.score(arch, { fixed: true }))[ctx.task.objective.metric]!);
        return [arch];
      },
      observe() {
        ctx.record('scores', scores);
      },
      snapshot: (): Json => ({ supernet: supernet.snapshot(), scores }),
      restore(state) {
        const s = state as { supernet: Json; scores: number[] };
        supernet.restore(s.supernet);
        scores = [...s.scores];
      },
    };
  },
});

const newStore = () => Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-supernet-')), 'runs.db'));

async function startRun(store: Store, plugin: SearcherPlugin, evaluator: Evaluator<unknown>, task: string, budget: number, hooks: RunHooks = {}) {
  const { runIds } = store.createExperiment({ method: plugin.name, methodSource: 'test', task, budget, params: {}, config: {}, taskRecord: evaluator.record, codeVersion: 't', seeds: [4] });
  const runId = runIds[0]!;
  const result = await executeRun(store, runId, { plugin, task: getTask(task), evaluator, params: resolveParams(plugin.name, plugin.params, []) }, hooks);
  return { runId, result };
}

/**
 * The image task's real supernet with stand-in child evaluations (a fixed cost, a score made from
 * the architecture string): what these tests watch is the supernet's work, not the children's.
 */
function withStandInChildren(real: Evaluator<unknown>): Evaluator<unknown> {
  const child = (arch: unknown, metric: string): Evaluation => {
    const text = cnnMicroSpace.format(arch as never);
    const value = [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1000, 7) / 10;
    return { status: 'ok', metrics: { [metric]: value }, params: null, fidelity: 1, deviceSeconds: 0.25, device: { kind: 'cpu', backend: 'cpu', threads: 1 } };
  };
  return { ...real, evaluate: async (arch) => child(arch, 'valid_acc'), finalEvaluate: async (arch) => child(arch, 'test_error') };
}

let images: Evaluator<unknown>;
beforeAll(async () => {
  images = withStandInChildren((await openImageEvaluator(getTask('fashion-mnist'), 'fashion-mnist', IMAGE_PRESETS, fashionFixture(32, 8), OPEN)) as Evaluator<unknown>);
});

describe('ctx.supernet() in a run', () => {
  it('rejects on a tabular task, saying why', async () => {
    const task = getTask('nb201-cifar10');
    // A table lookup has no presets: opened without one.
    const evaluator = await task.open(resolveDataDir(writeNb201Fixture(), {}), { backend: 'cpu', fetch: false });
    const { result } = await startRun(newStore(), sharing, evaluator, task.name, 3);
    expect(result).toEqual({
      status: 'failed',
      error:
        'share-test.create failed: ctx.supernet(): task nb201-cifar10 is tabular: its results are looked up, there is no network whose weights could be shared; weight sharing needs an image or text task',
    });
  });

  it('rejects when the preset has no supernet settings', async () => {
    const { supernet: _, ...withoutSupernet } = IMAGE_PRESETS.mini!;
    const evaluator = await openImageEvaluator(getTask('fashion-mnist'), 'fashion-mnist', { mini: withoutSupernet }, fashionFixture(32, 8), OPEN);
    const { result } = await startRun(newStore(), sharing, evaluator as Evaluator<unknown>, 'fashion-mnist', 1);
    expect(result).toEqual({ status: 'failed', error: 'share-test.create failed: ctx.supernet(): preset mini of task fashion-mnist has no supernet settings' });
  });

  it('charges every second of supernet work to the run: store, leaderboard and anytime curves', async () => {
    const store = newStore();
    const { runId, result } = await startRun(store, sharing, images, 'fashion-mnist', 3);
    expect(result.status).toBe('completed');
    const raw = new Database(store.path, { readonly: true });
    const rows = raw.prepare('SELECT evaluations_seen, device_kind, seconds, train_steps, score_batches FROM supernet_usage WHERE run_id = ? ORDER BY evaluations_seen').all(runId) as {
      evaluations_seen: number;
      device_kind: string;
      seconds: number;
      train_steps: number;
      score_batches: number;
    }[];
    raw.close();
    // One propose before each of the three evaluations: two steps and one validation batch each.
    expect(rows.map((r) => [r.evaluations_seen, r.device_kind, r.train_steps, r.score_batches])).toEqual([
      [0, 'cpu', 2, 1],
      [1, 'cpu', 2, 1],
      [2, 'cpu', 2, 1],
    ]);
    for (const r of rows) expect(r.seconds).toBeGreaterThan(0);
    const supernetSeconds = rows.reduce((s, r) => s + r.seconds, 0);
    // SQLite sums the rows in its own order: the total may differ from ours in the last bit.
    const [usage, ...others] = store.supernetUsage(runId);
    expect(others).toEqual([]);
    expect(usage).toEqual({ deviceKind: 'cpu', seconds: expect.any(Number), trainSteps: 6, scoreBatches: 3 });
    expect(usage!.seconds).toBeCloseTo(supernetSeconds, 9);

    const evaluations = store.evaluations(runId);
    const evaluationSeconds = evaluations.reduce((s, e) => s + e.deviceSeconds, 0);
    const run = store.getRun(runId)!;
    expect(run.supernetSeconds).toBeCloseTo(supernetSeconds, 9);
    expect(evaluationSeconds).toBe(0.75);
    expect(run.deviceSeconds).toBeCloseTo(evaluationSeconds + supernetSeconds + 0.25, 9);

    const [row] = selectedRuns(store, { runIds: [runId] });
    expect(row!.searchSeconds.cpu).toBeCloseTo(evaluationSeconds + supernetSeconds, 9);
    // Summed by SQLite in its own order too (a last-bit difference failed the suite once).
    expect(Object.keys(row!.supernetSeconds)).toEqual(['cpu']);
    expect(row!.supernetSeconds.cpu).toBeCloseTo(supernetSeconds, 9);

    // The curve places supernet work before the evaluation it preceded.
    const goal = getTask('fashion-mnist').objective.goal === 'max' ? 1 : -1;
    const found = improvements(store, { runIds: [runId] }, goal);
    expect(found.length).toBeGreaterThan(0);
    for (const imp of found) {
      const spent =
        evaluations.filter((e) => e.ordinal <= imp.ordinal).reduce((s, e) => s + e.deviceSeconds, 0) +
        rows.filter((r) => r.evaluations_seen <= imp.ordinal).reduce((s, r) => s + r.seconds, 0);
      expect(imp.elapsed).toBeCloseTo(spent, 9);
    }
  }, 300_000);

  it('resumes exactly from an older snapshot, charging the redone supernet work again', async () => {
    const reference = newStore();
    const ref = await startRun(reference, sharing, images, 'fashion-mnist', 3);
    const expected = {
      archs: reference.evaluations(ref.runId).map((e) => e.arch),
      scores: reference.diagnostics(ref.runId).at(-1)!.data,
      final: reference.getRun(ref.runId)!.finalValue,
    };

    const store = newStore();
    let first: string | null = null;
    const crash = new Error('simulated crash');
    await expect(
      startRun(store, sharing, images, 'fashion-mnist', 3, {
        commitIntervalMs: 0,
        onEvaluation: (e) => {
          if (e.ordinal === 0) first = store.getRun(e.runId)!.snapshot;
          if (e.ordinal === 1) throw crash;
        },
      }),
    ).rejects.toBe(crash);
    const runId = store.runs()[0]!.id;
    expect(store.supernetUsage(runId)).toMatchObject([{ trainSteps: 4, scoreBatches: 2 }]);
    // Back to the snapshot taken after the first propose: the second propose's work is done again.
    const raw = new Database(store.path);
    raw.prepare("UPDATE runs SET snapshot = ?, status = 'interrupted' WHERE id = ?").run(first, runId);
    raw.close();

    const result = await executeRun(store, runId, { plugin: sharing, task: getTask('fashion-mnist'), evaluator: images, params: {} });
    expect(result.status).toBe('completed');
    expect(store.evaluations(runId).map((e) => e.arch)).toEqual(expected.archs);
    expect(store.diagnostics(runId).at(-1)!.data).toEqual(expected.scores);
    expect(store.getRun(runId)!.finalValue).toBe(expected.final);
    expect(store.supernetUsage(runId)).toMatchObject([{ trainSteps: 8, scoreBatches: 4 }]);
  }, 300_000);

  it('does not count supernet time against the plugin call timeout', async () => {
    const patient = definePlugin({
      name: 'long-training',
      description: 'trains the supernet for longer than the call timeout in one propose',
      spaces: 'any',
      params: {},
      async create(ctx) {
        const supernet = await ctx.supernet();
        return {
          async propose() {
            while (supernet.deviceSeconds < 0.6) await supernet.train(1, () => ctx.space.sample(ctx.rng));
            return [ctx.space.sample(ctx.rng)];
          },
          observe() {},
          snapshot: () => null,
          restore() {},
        };
      },
    });
    const store = newStore();
    const { runId, result } = await startRun(store, patient, images, 'fashion-mnist', 1, { callTimeoutMs: 250 });
    expect(result.status).toBe('completed');
    expect(store.supernetUsage(runId)[0]!.seconds).toBeGreaterThanOrEqual(0.6);
  }, 300_000);

  it('text tasks: an rnn-cell supernet scored by validation perplexity', async () => {
    const root = tempDir('nasbench-ptb-');
    const line = (n: number) => Array.from({ length: 12 }, (_, i) => `w${(n + i) % 7}`).join(' ');
    for (const [split, lines] of [['train', 60], ['valid', 12], ['test', 12]] as const) {
      writeFile(join(root, PTB_DIR, PTB_FILES[split]), Array.from({ length: lines }, (_, n) => ` ${line(n)} \n`).join(''));
    }
    const LM = { lr: 1, lrMin: 0.1, momentum: 0, weightDecay: 0, gradClip: 0.5, batchSize: 4, bptt: 8, evalBatchSize: 2 };
    const presets: TextPresets = {
      mini: {
        search: { hidden: 8, dropout: 0, trainTokens: 400, validTokens: 100, train: { ...LM, epochs: 1 } },
        final: { hidden: 8, dropout: 0, trainTokens: 400, validTokens: 0, train: { ...LM, epochs: 1 } },
        supernet: { hidden: 8, dropout: 0.1, batchSize: 4, bptt: 8, evalBatchSize: 2, train: { ...LM, epochs: 2 } },
      },
    };
    const evaluator = await openTextEvaluator(getTask('ptb'), 'ptb', presets, resolveDataDir(root, {}), OPEN);
    const store = newStore();
    const { runId, result } = await startRun(store, sharing, evaluator as Evaluator<unknown>, 'ptb', 2);
    expect(result.status).toBe('completed');
    const scores = store.diagnostics(runId).at(-1)!.data as number[];
    expect(scores).toHaveLength(2);
    // Perplexities over an 8-word vocabulary (7 words and <eos>), measured with the shared weights.
    for (const s of scores) expect(s).toBeGreaterThan(1);
    expect(store.supernetUsage(runId)).toMatchObject([{ deviceKind: 'cpu', trainSteps: 4, scoreBatches: 2 }]);
  }, 300_000);
});

describe('RunSupernet', () => {
  /** A core that records what it was asked and returns the losses it is given. */
  function fake(losses: number[], finiteAtEnd = true) {
    const calls: string[] = [];
    let step = 0;
    const core: SupernetCore<unknown> = {
      epochSteps: 10,
      validBatches: 3,
      get step() {
        return step;
      },
      trainStep: (_, lr) => (calls.push(`train ${lr}`), step++, losses.shift()!),
      score: (_, batches, fixed) => (calls.push(`score ${batches} ${fixed}`), { metrics: { valid_acc: 50 }, batches }),
      checkpoint: () => (calls.push('checkpoint'), { restore: () => calls.push('restore'), dispose: () => calls.push('dispose') }),
      finite: () => finiteAtEnd,
      snapshot: () => ({ step }),
      restore: () => {},
      dispose: () => {},
    };
    const work: SupernetWork[] = [];
    return { calls, work, supernet: new RunSupernet(core, cnnMicroSpace as never, (w) => work.push(w)) };
  }
  const arch = cnnMicroSpace.sample(Rng.seeded(1)) as unknown as Arch;

  it('takes the steps asked, passing each pick the step number, and charges each', async () => {
    const { work, supernet } = fake([2, 1, 3]);
    const picked: number[] = [];
    const result = await supernet.train(3, (step) => (picked.push(step), arch));
    expect(result).toEqual({ steps: 3, meanLoss: 2, diverged: false });
    expect(picked).toEqual([0, 1, 2]);
    expect(work.map((w) => [w.trainSteps, w.scoreBatches])).toEqual([[1, 0], [1, 0], [1, 0]]);
    expect(supernet.deviceSeconds).toBeCloseTo(work.reduce((s, w) => s + w.seconds, 0), 12);
  });

  it('stops at a non-finite loss and says so', async () => {
    const { supernet } = fake([2, NaN, 3]);
    expect(await supernet.train(3, () => arch)).toEqual({ steps: 2, meanLoss: 2, diverged: true });
  });

  it('undoes the whole call when a loss is not finite or the weights end out of range', async () => {
    const nan = fake([2, NaN, 3]);
    await nan.supernet.train(3, () => arch);
    expect(nan.calls).toEqual(['checkpoint', 'train undefined', 'train undefined', 'restore', 'dispose']);
    const wild = fake([2, 1], false);
    expect(await wild.supernet.train(2, () => arch, { lr: 1e30 })).toEqual({ steps: 2, meanLoss: 2, diverged: true });
    expect(wild.calls).toEqual(['checkpoint', 'train 1e+30', 'train 1e+30', 'restore', 'dispose']);
    const fine = fake([2, 1]);
    await fine.supernet.train(2, () => arch);
    expect(fine.calls).toEqual(['checkpoint', 'train undefined', 'train undefined', 'dispose']);
  });

  it('scores on the batches asked and charges them', async () => {
    const { calls, work, supernet } = fake([]);
    expect(await supernet.score(arch)).toEqual({ valid_acc: 50 });
    expect(await supernet.score(arch, { batches: 3, fixed: true })).toEqual({ valid_acc: 50 });
    expect(calls).toEqual(['score 1 false', 'score 3 true']);
    expect(work.map((w) => w.scoreBatches)).toEqual([1, 3]);
  });

  it('rejects bad input with one clear line', async () => {
    const { supernet } = fake([1]);
    await expect(supernet.train(-1, () => arch)).rejects.toThrow('supernet.train: steps must be a whole number ≥ 0, got -1');
    await expect(supernet.train(1, () => arch, { lr: -1 })).rejects.toThrow('supernet.train: lr must be a finite number ≥ 0, got -1');
    await expect(supernet.train(1, () => ({ normal: [] }) as never)).rejects.toThrow(/^supernet\.train: pick\(0\) returned: not a valid cnn-micro architecture: /);
    await expect(supernet.score(arch, { batches: 4 })).rejects.toThrow('supernet.score: batches must be a whole number from 1 to 3 (the validation minibatches), got 4');
  });
});
