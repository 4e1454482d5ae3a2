import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExperiment } from '../../src/harness/experiment.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import type { DerivedDiagnostics, EpochDiagnostics } from '../../methods/enas/weight-sharing.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';

/** One supernet epoch, two controller updates of two samples, six cells derived; two children re-ranked. */
const PARAMS = ['hidden=8', 'epochs=1', 'controller_steps=2', 'batch=2', 'derive_samples=6', 'score_batches=1'];

describe('ENAS with weight sharing through the harness (PTB fixture, smoke preset, cpu backend)', () => {
  it('trains the supernet with the controller, re-ranks the derived cells by standalone training and charges the supernet to the run', async () => {
    const dataDir = resolveDataDir(writePtbFixture({ train: 120, valid: 30, test: 30 }), {});
    const store = Store.open(join(mkdtempSync(join(tmpdir(), 'nasbench-enas-ws-')), 'runs.db'));
    const { runs } = await runExperiment(store, { method: 'enas', task: 'ptb', seeds: [1], budget: 2, params: PARAMS, dataDir, options: { backend: 'cpu', preset: 'smoke', fetch: false, allowUnverifiedData: true } });
    const runId = runs[0]!.runId;
    const run = store.getRun(runId)!;
    expect(run).toMatchObject({ status: 'completed', evaluations: 2 });
    const evaluations = store.evaluations(runId);
    const best = [...evaluations].sort((a, b) => a.value! - b.value!)[0]!;
    expect(run.finalArch).toBe(best.arch);

    const diagnostics = store.diagnostics(runId);
    expect(diagnostics.map((d) => [d.evaluationsSeen, d.kind])).toEqual([
      [0, 'enas-epochs'],
      [0, 'enas-derived'],
      [2, 'weight-sharing-correlation'],
    ]);
    const [epoch] = diagnostics[0]!.data as unknown as EpochDiagnostics[];
    expect(epoch).toMatchObject({ epoch: 1, updates: 2, supernetDiverged: false });
    expect(epoch!.supernetSteps).toBeGreaterThan(0);
    const derived = diagnostics[1]!.data as unknown as DerivedDiagnostics;
    expect(derived.best!).toBeLessThanOrEqual(derived.worst!);
    // ENAS's PTB reward: 80 / the perplexity of a validation minibatch, of the order of the derived cells' perplexities.
    expect(epoch!.reward!).toBeGreaterThan(80 / (2 * derived.worst!));
    expect(epoch!.reward!).toBeLessThan(80 / (0.5 * derived.best!));

    // Every supernet step and scored batch (4 rewards, one per distinct derived cell) is charged to the run.
    expect(store.supernetUsage(runId)).toEqual([{ deviceKind: 'cpu', seconds: expect.any(Number), trainSteps: epoch!.supernetSteps, scoreBatches: 4 + derived.distinct }]);
    expect(run.deviceSeconds).toBeGreaterThan(run.supernetSeconds + evaluations.reduce((s, e) => s + e.deviceSeconds, 0));
    const correlation = diagnostics[2]!.data as { n: number; pairs: [number, number][] };
    expect(correlation.n).toBe(2);
    expect(correlation.pairs[0]![0]).toBe(derived.best);
  }, 300_000);
});
