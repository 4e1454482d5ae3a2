import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resumeRuns, runExperiment } from '../../src/harness/experiment.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import { kendallTau } from '../../src/api/index.js';
import type { RoundDiagnostics } from '../../methods/nao-ws/search.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';

/** Two rounds over a pool of six, half a supernet epoch each, one validation batch per score; three children re-ranked. */
const PARAMS = [
  'pool=6',
  'iterations=2',
  'supernet_epochs=0.5',
  'score_batches=1',
  'top_k=3',
  'new_per_iteration=2',
  'random_per_iteration=1',
  'holdout=0',
  'hidden=8',
  'embedding=4',
  'mlp_layers=1',
  'mlp_hidden=8',
  'epochs=2',
  'max_eta_steps=8',
];

describe('NAO-WS through the harness (PTB fixture, smoke preset, cpu backend)', () => {
  let dataDir: DataDir;
  beforeAll(() => {
    // A small corpus: every child, the supernet and the final training see about 1,300 training words.
    dataDir = resolveDataDir(writePtbFixture({ train: 120, valid: 30, test: 30 }), {});
  });
  const newStore = () => Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-nao-ws-')), 'runs.db'));
  // The fixture is not the real PTB: every opening of it, resume included, must allow that.
  const FIXTURE = { allowUnverifiedData: true } as const;
  const request = () => ({ method: 'nao-ws', task: 'ptb', seeds: [3], budget: 3, params: PARAMS, dataDir, options: { backend: 'cpu', preset: 'smoke', fetch: false, allowUnverifiedData: true } as const });

  let reference: { store: Store; runId: number };
  beforeAll(async () => {
    const store = newStore();
    const { runs } = await runExperiment(store, request());
    reference = { store, runId: runs[0]!.runId };
  }, 300_000);

  it('searches with the supernet, re-ranks its top by standalone training and reports the best of them', () => {
    const { store, runId } = reference;
    const run = store.getRun(runId)!;
    expect(run).toMatchObject({ status: 'completed', evaluations: 3 });
    expect(run.finalValue).toEqual(expect.any(Number));
    const evaluations = store.evaluations(runId);
    expect(new Set(evaluations.map((e) => e.arch)).size).toBe(3);
    const best = [...evaluations].sort((a, b) => a.value! - b.value!)[0]!;
    expect(run.finalArch).toBe(best.arch);
    expect(run.finalOrdinal).toBe(best.ordinal);

    const diagnostics = store.diagnostics(runId);
    expect(diagnostics.map((d) => [d.evaluationsSeen, d.kind])).toEqual([
      [0, 'nao-ws-iterations'],
      [3, 'weight-sharing-correlation'],
    ]);
    const rounds = diagnostics[0]!.data as RoundDiagnostics[];
    const steps = rounds[0]!.supernetSteps;
    expect(steps).toBeGreaterThan(0);
    expect(rounds.map((r) => [r.iteration, r.supernetSteps, r.scored + r.unscored, r.generated + r.random])).toEqual([
      [1, steps, 6, 3],
      [2, steps, 6, 0],
    ]);

    // Every supernet step and scored batch is charged to the run, before the first evaluation.
    expect(store.supernetUsage(runId)).toEqual([{ deviceKind: 'cpu', seconds: expect.any(Number), trainSteps: 2 * steps, scoreBatches: 12 }]);
    expect(run.supernetSeconds).toBeCloseTo(rounds.reduce((s, r) => s + r.supernetSeconds, 0), 2);
    expect(run.deviceSeconds).toBeGreaterThan(run.supernetSeconds + evaluations.reduce((s, e) => s + e.deviceSeconds, 0));
    for (const r of rounds) expect(r.poolBest!).toBeLessThanOrEqual(r.poolWorst!);

    // Shared-weight vs standalone validation perplexity of the three children, in proposal order:
    // the pool's two best by shared score, then its worst.
    const correlation = diagnostics[1]!.data as { tau: number | null; n: number; pairs: [number, number][] };
    expect(correlation.n).toBe(3);
    expect(correlation.pairs.map((p) => p[1])).toEqual(evaluations.map((e) => Math.round(e.value! * 1e4) / 1e4));
    const shared = correlation.pairs.map((p) => p[0]);
    expect(shared[0]).toBe(rounds[1]!.poolBest);
    expect(shared[1]).toBeGreaterThanOrEqual(shared[0]!);
    expect(shared[2]).toBe(rounds[1]!.poolWorst);
    const tau = kendallTau(shared, correlation.pairs.map((p) => p[1]));
    expect(correlation.tau).toBe(tau === null ? null : Math.round(tau * 1e4) / 1e4);
  });

  it('resumes a run stopped during the search and one stopped during the re-ranking with the same children and result', async () => {
    const store = newStore();
    const stop = new Error('stopped');
    const steps = (reference.store.diagnostics(reference.runId)[0]!.data as RoundDiagnostics[])[0]!.supernetSteps;
    // Stopped in the middle of the search (after its first round): the run fails and keeps nothing but the supernet work.
    const first = await runExperiment(store, request(), { log: (m) => { if (m.includes('round 1/2')) throw stop; } });
    const runId = first.runs[0]!.runId;
    expect(first.runs[0]!.result).toMatchObject({ status: 'failed' });
    expect(store.evaluations(runId)).toEqual([]);
    expect(store.supernetUsage(runId)).toMatchObject([{ trainSteps: steps, scoreBatches: 6 }]);

    // Resumed: the search runs again from the run's seed; stopped again after the first child
    // (one evaluation in flight: with more, those already started would finish and be stored too).
    await expect(
      resumeRuns(store, { runs: store.runs(), dataDir, options: FIXTURE, workers: 1 }, { commitIntervalMs: 0, onEvaluation: () => { throw stop; } }),
    ).rejects.toBe(stop);
    expect(store.evaluations(runId)).toHaveLength(1);

    // Resumed from the snapshot taken after the search: no supernet work is done again.
    await resumeRuns(store, { runs: store.runs(), dataDir, options: FIXTURE });
    const ref = reference.store;
    expect(store.evaluations(runId).map((e) => [e.arch, e.value])).toEqual(ref.evaluations(reference.runId).map((e) => [e.arch, e.value]));
    expect(store.getRun(runId)).toMatchObject({ status: 'completed', finalArch: ref.getRun(reference.runId)!.finalArch, finalValue: ref.getRun(reference.runId)!.finalValue });
    expect(store.supernetUsage(runId)).toMatchObject([{ trainSteps: steps + 2 * steps, scoreBatches: 6 + 12 }]);
    // The same rounds (but for their timings) and the same correlation.
    const untimed = (s: Store, id: number) =>
      s.diagnostics(id).map((d) => (d.kind === 'nao-ws-iterations' ? (d.data as RoundDiagnostics[]).map(({ supernetSeconds, scoreSeconds, trainMs, generateMs, ...rest }) => rest) : d.data));
    expect(untimed(store, runId)).toEqual(untimed(ref, reference.runId));
  }, 300_000);
});
