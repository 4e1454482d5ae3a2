import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resumeRuns, runExperiment } from '../../src/harness/experiment.js';
import { Nb201Net } from '../../src/engine/nb201-net.js';
import { nb201Space } from '../../src/spaces/nb201.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import { syntheticAccuracy, writeNb201Fixture } from '../helpers/nb201-fixture.js';

let dataDir: DataDir;
beforeAll(() => {
  dataDir = resolveDataDir(writeNb201Fixture(), {});
});

const OPTIONS = { backend: 'wasm', threads: 1, fetch: false } as const;
const newStore = () => Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-zc-')), 'runs.db'));

/** Parameters and FLOPs of the benchmark's CIFAR-10 network, counted independently of the evaluation under test. */
function countsOf(arch: string): { params: number; flops: number } {
  const net = new Nb201Net(nb201Space.parse(arch), { inputShape: [32, 32, 3], classes: 10, channels: 16, cellsPerStage: 5 }, 0);
  const counts = { params: net.params.count(), flops: net.flops };
  net.dispose();
  return counts;
}

async function search(method: string, budget: number, params: string[]) {
  const store = newStore();
  const outcome = await runExperiment(store, { method, task: 'nb201-cifar10', seeds: [3], budget, params, dataDir, options: OPTIONS });
  const run = store.getRun(outcome.runs[0]!.runId)!;
  const evaluations = store.evaluations(run.id);
  store.close();
  return { run, evaluations };
}

describe('naswot method', () => {
  it('charges one evaluation per scored cell, records each with its device time, and reports the best-scoring cell', async () => {
    const { run, evaluations } = await search('naswot', 10, ['n=6', 'score=params']);
    expect(run.status).toBe('completed');
    expect(evaluations.map((e) => e.ordinal)).toEqual([0, 1, 2, 3, 4, 5]);
    for (const e of evaluations) {
      expect(e).toMatchObject({ kind: 'params', status: 'ok', value: null, fidelity: 0, backend: 'wasm', threads: 1, inputs: 'none (counted from the architecture)' });
      expect(e.metrics.params).toBe(countsOf(e.arch).params);
      expect(e.deviceSeconds).toBeGreaterThan(0);
    }
    const best = evaluations.reduce((b, e) => (e.metrics.params! > b.metrics.params! ? e : b));
    expect(run.finalArch).toBe(best.arch);
    // Judged by the chosen cell's 200-epoch test accuracy, which the scores never showed.
    expect(run.finalValue).toBeCloseTo(syntheticAccuracy(best.arch, 7, 20), 6);
  });

  it('never spends more than the budget', async () => {
    const { run, evaluations } = await search('naswot', 4, ['n=20', 'score=flops']);
    expect(run.status).toBe('completed');
    expect(evaluations).toHaveLength(4);
    expect(run.evaluations).toBe(4);
    for (const e of evaluations) expect(e.metrics.flops).toBe(countsOf(e.arch).flops);
  });

  it('scores with NASWOT on Gaussian noise where the task has no images, and says so in the record', async () => {
    const { run, evaluations } = await search('naswot', 2, ['n=2']);
    expect(run.status).toBe('completed');
    expect(evaluations).toHaveLength(2);
    for (const e of evaluations) {
      expect(e.kind).toBe('naswot');
      expect(e.inputs).toMatch(/^Gaussian noise N\(0, 1\), 128 × 32×32×3 \(the CIFAR-10 images are not available here\)$/);
      if (e.status === 'ok') expect(e.metrics.naswot).toBeGreaterThan(0);
      else expect(e.error).toMatch(/singular/);
    }
  }, 300_000);
});

describe('area method', () => {
  it('spends M zero-cost evaluations, evaluates the P best-scoring cells, then evolves; all within the budget', async () => {
    const { run, evaluations } = await search('area', 12, ['scored=5', 'population=3', 'sample_size=2', 'score=params']);
    expect(run.status).toBe('completed');
    expect(evaluations).toHaveLength(12);
    const scored = evaluations.slice(0, 5);
    const trained = evaluations.slice(5);
    expect(scored.every((e) => e.kind === 'params' && e.value === null)).toBe(true);
    expect(trained.every((e) => e.kind === 'objective' && e.value !== null && e.fidelity === 12)).toBe(true);
    // The seeds: the three largest of the scored cells, largest first (earlier first on a tie).
    const seeds = scored
      .map((e, i) => ({ arch: e.arch, params: e.metrics.params!, i }))
      .sort((a, b) => b.params - a.params || a.i - b.i)
      .slice(0, 3)
      .map((s) => s.arch);
    expect(trained.slice(0, 3).map((e) => e.arch)).toEqual(seeds);
    // The result is the best cell by the search signal; zero-cost evaluations never compete.
    const best = trained.reduce((b, e) => (e.value! > b.value! ? e : b));
    expect(run.finalArch).toBe(best.arch);
  });

  it("by default scores the paper's M = 20 cells and seeds a population of P = 10 (Mellor et al. 2021, §4.1)", async () => {
    const { run, evaluations } = await search('area', 32, ['score=params']);
    expect(run.status).toBe('completed');
    expect(evaluations.map((e) => e.kind)).toEqual([...Array(20).fill('params'), ...Array(12).fill('objective')]);
    const seeds = evaluations
      .slice(0, 20)
      .map((e, i) => ({ arch: e.arch, params: e.metrics.params!, i }))
      .sort((a, b) => b.params - a.params || a.i - b.i)
      .slice(0, 10)
      .map((s) => s.arch);
    expect(evaluations.slice(20, 30).map((e) => e.arch)).toEqual(seeds);
  });

  it('refuses settings that cannot fit the budget', async () => {
    const { run } = await search('area', 6, ['scored=5', 'population=3', 'sample_size=2', 'score=params']);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/must fit in the budget \(6\)/);
  });
});

describe('zero-cost evaluations on resume', () => {
  it('are reused, not evaluated again, and the resumed run ends as an uninterrupted one', async () => {
    const request = { method: 'area', task: 'nb201-cifar10', seeds: [4], budget: 14, params: ['scored=6', 'population=3', 'sample_size=2', 'score=flops'], dataDir, options: OPTIONS };
    const reference = newStore();
    const ref = await runExperiment(reference, request);
    const expected = reference.evaluations(ref.runs[0]!.runId).map((e) => [e.kind, e.arch]);
    // Interrupted in the middle of the scoring, which happens inside one propose.
    const store = newStore();
    const controller = new AbortController();
    let seen = 0;
    const outcome = await runExperiment(store, request, { signal: controller.signal, commitIntervalMs: 0, onEvaluation: () => (++seen === 3 ? controller.abort() : undefined) });
    expect(outcome.runs[0]!.result.status).toBe('interrupted');
    const runId = outcome.runs[0]!.runId;
    const before = store.evaluations(runId).map((e) => e.finishedAt);
    // Stopped at the next zero-cost request, not at the end of the scoring.
    expect(before).toHaveLength(3);
    await resumeRuns(store, { runs: [store.getRun(runId)!], dataDir, options: OPTIONS });
    const after = store.evaluations(runId);
    expect(after.map((e) => [e.kind, e.arch])).toEqual(expected);
    // The evaluations stored before the interruption were kept as they were.
    expect(after.slice(0, before.length).map((e) => e.finishedAt)).toEqual(before);
    expect(store.getRun(runId)!.finalArch).toBe(reference.getRun(ref.runs[0]!.runId)!.finalArch);
  });
});
