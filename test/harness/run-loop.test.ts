import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng, definePlugin, type Arch, type SearcherPlugin } from '../../src/api/index.js';
import { resolveParams } from '../../src/harness/params.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { resumeRuns, runExperiment } from '../../src/harness/experiment.js';
import { resolvePlugin } from '../../src/harness/plugins.js';
import { executeRun } from '../../src/harness/run-loop.js';
import { RunJournal } from '../../src/harness/run-journal.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import { getTask } from '../../src/tasks/index.js';
import type { Evaluator } from '../../src/tasks/types.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { derivedTaskRecord } from '../../src/tasks/record.js';

/** Tabular tasks ignore the engine; no data is fetched in tests. */
const OPEN = { fetch: false, backend: 'cpu' } as const;

let dataDir: DataDir;
beforeAll(() => {
  dataDir = resolveDataDir(writeNb201Fixture(), {});
});

const newStore = () => Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-run-')), 'runs.db'));
const sequence = (store: Store, runId: number) => store.evaluations(runId).map((e) => e.arch);

async function run(store: Store, method: string, seeds: number[], budget: number) {
  return runExperiment(store, { method, task: 'nb201-cifar10', seeds, budget, params: [], dataDir });
}

describe('executeRun', () => {
  it.each(['random', 'evolution'])('%s: the same seed gives the same architectures, another seed others', async (method) => {
    const store = newStore();
    const a = await run(store, method, [3], 60);
    const b = await run(store, method, [3], 60);
    const c = await run(store, method, [4], 60);
    const [ra, rb, rc] = [a, b, c].map((o) => o.runs[0]!.runId);
    expect(sequence(store, ra!)).toHaveLength(60);
    expect(sequence(store, ra!)).toEqual(sequence(store, rb!));
    expect(sequence(store, ra!)).not.toEqual(sequence(store, rc!));
    expect(store.getRun(ra!)?.finalValue).toBe(store.getRun(rb!)?.finalValue);
  });

  it('spends exactly the budget, random never repeats, and the result is the best-seen cell’s test accuracy', async () => {
    const store = newStore();
    const { runs } = await run(store, 'random', [0], 200);
    const evaluations = store.evaluations(runs[0]!.runId);
    expect(evaluations).toHaveLength(200);
    expect(new Set(evaluations.map((e) => e.arch)).size).toBe(200);
    const best = evaluations.reduce((a, b) => ((b.value ?? -1) > (a.value ?? -1) ? b : a));
    const r = store.getRun(runs[0]!.runId)!;
    expect(r.status).toBe('completed');
    expect(r.finalArch).toBe(best.arch);
    expect(r.finalOrdinal).toBe(best.ordinal);
    expect(Object.keys(r.finalMetrics!)).toEqual(['test_acc']);
  });

  it('resumes after a crash at any evaluation with nothing lost, repeated or changed', async () => {
    const reference = newStore();
    const ref = await run(reference, 'evolution', [11], 120);
    const expected = sequence(reference, ref.runs[0]!.runId);
    for (const crashAfter of [1, 2, 10, 11, 57, 119]) {
      const store = newStore();
      let seen = 0;
      const crash = new Error('simulated crash');
      await expect(
        runExperiment(store, { method: 'evolution', task: 'nb201-cifar10', seeds: [11], budget: 120, params: [], dataDir }, {
          commitIntervalMs: 0,
          onEvaluation: () => {
            if (++seen === crashAfter) throw crash;
          },
        }),
      ).rejects.toBe(crash);
      const runId = store.runs()[0]!.id;
      expect(store.evaluations(runId)).toHaveLength(crashAfter);
      await resumeRuns(store, { runs: store.runs(), dataDir });
      expect(sequence(store, runId)).toEqual(expected);
      expect(store.getRun(runId)).toMatchObject({ status: 'completed', finalValue: reference.getRun(ref.runs[0]!.runId)!.finalValue });
      expect(store.integrityCheck()).toBe('ok');
    }
  });

  it('stops cleanly when aborted and continues identically on resume', async () => {
    const reference = newStore();
    const ref = await run(reference, 'random', [2], 50);
    const store = newStore();
    const controller = new AbortController();
    let seen = 0;
    const outcome = await runExperiment(store, { method: 'random', task: 'nb201-cifar10', seeds: [2], budget: 50, params: [], dataDir }, {
      signal: controller.signal,
      commitIntervalMs: 0,
      onEvaluation: () => (++seen === 20 ? controller.abort() : undefined),
    });
    expect(outcome.runs[0]!.result.status).toBe('interrupted');
    const runId = outcome.runs[0]!.runId;
    expect(store.getRun(runId)).toMatchObject({ status: 'interrupted', evaluations: 20 });
    await resumeRuns(store, { runs: [store.getRun(runId)!], dataDir });
    expect(sequence(store, runId)).toEqual(sequence(reference, ref.runs[0]!.runId));
  });

  it('records the host of every evaluation and the run’s wall-clock time, accumulated over its sessions', async () => {
    const store = newStore();
    const controller = new AbortController();
    let seen = 0;
    const started = performance.now();
    const outcome = await runExperiment(store, { method: 'random', task: 'nb201-cifar10', seeds: [4], budget: 30, params: [], dataDir }, {
      signal: controller.signal,
      commitIntervalMs: 0,
      onEvaluation: () => (++seen === 10 ? controller.abort() : undefined),
    });
    const runId = outcome.runs[0]!.runId;
    const first = store.getRun(runId)!.wallSeconds!;
    expect(first).toBeGreaterThan(0);
    await resumeRuns(store, { runs: [store.getRun(runId)!], dataDir });
    const elapsed = (performance.now() - started) / 1000;
    const run = store.getRun(runId)!;
    expect(run.status).toBe('completed');
    // The second session added its own time; neither counted more than the test lasted.
    expect(run.wallSeconds!).toBeGreaterThan(first);
    expect(run.wallSeconds!).toBeLessThanOrEqual(elapsed);
    expect(new Set(store.evaluations(runId).map((e) => e.host))).toEqual(new Set([hostname()]));
    // Thirty lookups and the final one, all by this process.
    const [worker, ...others] = store.workers([runId]).get(runId)!;
    expect(others).toEqual([]);
    expect(worker).toMatchObject({ host: hostname(), deviceKind: 'none', evaluations: 31 });
    expect(worker!.deviceSeconds).toBeCloseTo(run.deviceSeconds, 9);
  });

  it('a result delivered twice for an ordinal is committed and reported once, the first kept', async () => {
    const store = newStore();
    await run(store, 'random', [1], 3);
    const source = store.runs()[0]!;
    const target = store.createExperiment({ ...source, methodSource: source.methodSource, seeds: [9] }).runIds[0]!;
    const committed: number[] = [];
    const journal = new RunJournal(store, store.getRun(target)!, (e) => committed.push(e.ordinal), 0);
    const [a, b] = store.evaluations(source.id).map((e) => ({ ...e, runId: target }));
    journal.add(a!);
    journal.add({ ...b!, ordinal: a!.ordinal });
    journal.flush();
    expect(committed).toEqual([a!.ordinal]);
    expect(store.evaluations(target).map((e) => e.arch)).toEqual([a!.arch]);
    expect(journal.stored(a!.ordinal)!.arch).toBe(a!.arch);
  });
});

describe('resume replays from an older snapshot', () => {
  /** Completes a run, then rewinds its stored snapshot to the one taken after the first propose. */
  async function rewound(method: string, seed: number) {
    const store = newStore();
    let first: string | null = null;
    let runId = 0;
    await runExperiment(store, { method, task: 'nb201-cifar10', seeds: [seed], budget: 40, params: [], dataDir }, {
      commitIntervalMs: 0,
      onEvaluation: (e) => {
        runId = e.runId;
        if (e.ordinal === 0) first = store.getRun(e.runId)!.snapshot;
      },
    });
    const expected = sequence(store, runId);
    const raw = new Database(store.path);
    raw.prepare("UPDATE runs SET snapshot = ?, status = 'interrupted', final_arch = NULL, final_value = NULL WHERE id = ?").run(first, runId);
    raw.close();
    return { store, runId, expected };
  }

  it('reuses every stored evaluation and reaches the same result', async () => {
    const { store, runId, expected } = await rewound('evolution', 5);
    const task = getTask('nb201-cifar10');
    const real = await task.open(dataDir, OPEN);
    let calls = 0;
    const counting: Evaluator<unknown> = { ...real, evaluate: (a, j) => (calls++, real.evaluate(a, j)) };
    const plugin = (await resolvePlugin('evolution')).plugin;
    const result = await executeRun(store, runId, { plugin, task, evaluator: counting, params: resolveParams('evolution', plugin.params, []) });
    expect(result.status).toBe('completed');
    expect(calls).toBe(0);
    expect(sequence(store, runId)).toEqual(expected);
  });

  it('stores the table’s 200-epoch test accuracy with each lookup for the report, and never hands it to the searcher', async () => {
    const store = newStore();
    const task = getTask('nb201-cifar10');
    const seen: string[][] = [];
    const peek = definePlugin({
      name: 'peek',
      description: 'test plugin',
      spaces: 'any',
      params: {},
      create: (ctx) => ({
        propose: () => [ctx.space.sample(ctx.rng)],
        observe: (results) => void seen.push(...results.map((r) => Object.keys(r.metrics))),
        snapshot: () => null,
        restore: () => {},
      }),
    });
    const { runIds } = store.createExperiment({ method: 'peek', methodSource: 'builtin:peek', task: task.name, budget: 6, params: {}, config: {}, taskRecord: derivedTaskRecord({ task: task.name, config: {}, finalMetricKeys: new Set() }), codeVersion: 't', seeds: [0] });
    const evaluator = await task.open(dataDir, OPEN);
    await executeRun(store, runIds[0]!, { plugin: peek, task, evaluator, params: resolveParams('peek', peek.params, []) });
    expect(seen).toEqual(Array.from({ length: 6 }, () => ['valid_acc']));
    const stored = store.evaluations(runIds[0]!);
    expect(stored.map((e) => Object.keys(e.metrics).sort())).toEqual(Array.from({ length: 6 }, () => ['test_acc', 'valid_acc']));
    // The optimum a regret is measured from: the table's best 200-epoch test accuracy.
    const final = await Promise.all(stored.map((e) => evaluator.finalEvaluate(task.space.parse(e.arch), { seed: 0 })));
    expect(stored.map((e) => e.metrics.test_acc)).toEqual(final.map((f) => f.metrics.test_acc));
    expect(evaluator.record.optimum).toBeGreaterThanOrEqual(Math.max(...final.map((f) => f.metrics.test_acc!)));
  });

  it('refuses to mix runs when a searcher proposes differently on replay', async () => {
    const { store, runId } = await rewound('evolution', 6);
    const task = getTask('nb201-cifar10');
    const plugin = (await resolvePlugin('evolution')).plugin;
    // The same method, but drawing from its own generator instead of ctx.rng.
    const sloppy: SearcherPlugin = { ...plugin, create: (ctx) => plugin.create({ ...ctx, rng: Rng.seeded(999) }) };
    const result = await executeRun(store, runId, { plugin: sloppy, task, evaluator: await task.open(dataDir, OPEN), params: resolveParams('evolution', plugin.params, []) });
    expect(result).toMatchObject({ status: 'failed' });
    expect((result as { error: string }).error).toMatch(/^evolution is not deterministic: on resume it proposed .* as evaluation #\d+, which the stored run evaluated as .*; use ctx.rng for all randomness$/);
  });
});

describe('faulty plugins fail their run, never the store', () => {
  const base = (overrides: Partial<ReturnType<SearcherPlugin['create']>>): SearcherPlugin =>
    definePlugin({
      name: 'faulty',
      description: 'test plugin',
      spaces: 'any',
      params: {},
      create: (ctx) => ({
        propose: () => [ctx.space.sample(ctx.rng)],
        observe: () => {},
        snapshot: () => null,
        restore: () => {},
        ...(overrides as object),
      }),
    });

  async function runPlugin(plugin: SearcherPlugin, evaluator?: Evaluator<unknown>, callTimeoutMs?: number) {
    const store = newStore();
    const task = getTask('nb201-cifar10');
    const { runIds } = store.createExperiment({ method: plugin.name, methodSource: 'builtin:faulty', task: task.name, budget: 10, params: {}, config: {}, taskRecord: derivedTaskRecord({ task: task.name, config: {}, finalMetricKeys: new Set() }), codeVersion: 't', seeds: [0] });
    const result = await executeRun(store, runIds[0]!, { plugin, task, evaluator: evaluator ?? (await task.open(dataDir, OPEN)), params: resolveParams(plugin.name, plugin.params, []) }, { callTimeoutMs });
    return { store, run: store.getRun(runIds[0]!)!, result };
  }

  it('a plugin that throws in propose', async () => {
    let calls = 0;
    const { run, store } = await runPlugin(
      base({
        propose() {
          if (++calls === 4) throw new Error('boom');
          return [nb201Space.sample(Rng.seeded(calls)) as unknown as Arch];
        },
      }),
    );
    expect(run).toMatchObject({ status: 'failed', error: 'faulty.propose failed: boom', evaluations: 3 });
    expect(store.evaluations(run.id).map((e) => e.status)).toEqual(['ok', 'ok', 'ok']);
    expect(store.integrityCheck()).toBe('ok');
  });

  it('a plugin that throws in observe, after the evaluation was stored', async () => {
    const { run } = await runPlugin(base({ observe: () => { throw new Error('bad observe'); } }));
    expect(run).toMatchObject({ status: 'failed', error: 'faulty.observe failed: bad observe', evaluations: 1 });
  });

  it('a plugin that proposes an invalid architecture', async () => {
    const { run } = await runPlugin(base({ propose: () => [{ ops: ['conv9x9'] } as never] }));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/^faulty\.propose returned an invalid nb201 architecture: /);
    expect(run.evaluations).toBe(0);
  });

  it('a plugin that hangs is stopped by the per-call timeout', async () => {
    const { run } = await runPlugin(base({ propose: () => new Promise(() => {}) }), undefined, 200);
    expect(run).toMatchObject({ status: 'failed', error: 'faulty.propose failed: faulty.propose did not return within 0.2 s' });
  });

  it('an evaluation that throws is a failed evaluation and the search goes on', async () => {
    const task = getTask('nb201-cifar10');
    const real = await task.open(dataDir, OPEN);
    let n = 0;
    const flaky: Evaluator<unknown> = {
      record: real.record,
      tensorflow: real.tensorflow,
      evaluate: (arch, job) => (++n % 3 === 0 ? Promise.reject(new Error('child crashed')) : real.evaluate(arch, job)),
      finalEvaluate: (arch, job) => real.finalEvaluate(arch, job),
      close() {},
    };
    const plugin = (await resolvePlugin('random')).plugin;
    const { store, run } = await runPlugin(plugin, flaky);
    expect(run.status).toBe('completed');
    const evaluations = store.evaluations(run.id);
    expect(evaluations.filter((e) => e.status === 'failed').map((e) => e.error)).toEqual(['child crashed', 'child crashed', 'child crashed']);
    expect(evaluations.filter((e) => e.status === 'failed').every((e) => e.value === null)).toBe(true);
  });

  it('a non-finite search metric is a failed evaluation (diverged after a non-finite training loss), never ok without a value', async () => {
    const task = getTask('nb201-cifar10');
    const real = await task.open(dataDir, OPEN);
    let n = 0;
    const broken: Evaluator<unknown> = {
      record: real.record,
      tensorflow: real.tensorflow,
      async evaluate(arch, job) {
        const e = await real.evaluate(arch, job);
        n++;
        if (n === 2) return { ...e, metrics: { valid_acc: NaN } };
        if (n === 4) return { ...e, metrics: { valid_acc: Infinity } };
        if (n === 6) return { ...e, metrics: { train_loss: NaN, valid_acc: NaN } };
        return e;
      },
      finalEvaluate: (arch, job) => real.finalEvaluate(arch, job),
      close() {},
    };
    const { store, run } = await runPlugin((await resolvePlugin('random')).plugin, broken);
    expect(run.status).toBe('completed');
    const evaluations = store.evaluations(run.id);
    expect(evaluations.map((e) => e.status)).toEqual(['ok', 'failed', 'ok', 'failed', 'ok', 'diverged', 'ok', 'ok', 'ok', 'ok']);
    expect(evaluations[1]!.error).toBe("the search metric 'valid_acc' is NaN, expected a finite number");
    expect(evaluations[3]!.error).toBe("the search metric 'valid_acc' is Infinity, expected a finite number");
    expect(evaluations[5]!.error).toBe("the search metric 'valid_acc' is NaN after a non-finite training loss (train_loss NaN)");
    expect(evaluations.every((e) => (e.status === 'ok') === (e.value !== null))).toBe(true);
  });

  it('stores diagnostics a plugin records', async () => {
    const plugin = definePlugin({
      name: 'chatty',
      description: 'records diagnostics',
      spaces: ['nb201'],
      params: {},
      create: (ctx) => ({
        propose: () => [ctx.space.sample(ctx.rng)],
        observe: (results) => ctx.record('seen', { n: results.length, score: results[0]!.score }),
        snapshot: () => null,
        restore: () => {},
      }),
    });
    const { store, run } = await runPlugin(plugin);
    const diagnostics = store.diagnostics(run.id);
    expect(diagnostics).toHaveLength(10);
    expect(diagnostics[0]).toMatchObject({ evaluationsSeen: 1, kind: 'seen', data: { n: 1 } });
  });
});
