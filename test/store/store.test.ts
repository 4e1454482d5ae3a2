import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../src/store/recognize.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import type { EvaluationRecord } from '../../src/store/types.js';
import { derivedTaskRecord } from '../../src/tasks/record.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nasbench-store-'));

function evaluation(runId: number, ordinal: number): EvaluationRecord {
  return {
    runId,
    ordinal,
    arch: `arch-${ordinal}`,
    archHash: `h${ordinal}`,
    status: 'ok',
    value: ordinal,
    metrics: { valid_acc: ordinal },
    params: 10,
    fidelity: 12,
    deviceSeconds: 0.5,
    deviceKind: 'none',
    backend: 'table',
    threads: 1,
    error: null,
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
  };
}

const spec = { method: 'random', methodSource: 'builtin:random', task: 'nb201-cifar10', budget: 5, params: {}, config: {}, taskRecord: derivedTaskRecord({ task: 'nb201-cifar10', config: {}, finalMetricKeys: new Set() }), codeVersion: 'test', seeds: [0, 1] };

describe('Store', () => {
  it('creates a versioned schema in WAL mode', () => {
    const path = join(tmp(), 'a.db');
    const store = Store.open(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    store.close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('creates an experiment with one pending run per seed and records evaluations in order', () => {
    const store = Store.open(join(tmp(), 'b.db'));
    const { experimentId, runIds } = store.createExperiment(spec);
    expect(runIds).toHaveLength(2);
    const run = store.getRun(runIds[0]!)!;
    expect(run).toMatchObject({ experimentId, seed: 0, status: 'pending', budget: 5, evaluations: 0 });
    for (const k of [0, 1, 2]) store.insertEvaluation(evaluation(run.id, k));
    expect(store.getRun(run.id)).toMatchObject({ evaluations: 3, deviceSeconds: 1.5 });
    expect(store.evaluations(run.id).map((e) => e.ordinal)).toEqual([0, 1, 2]);
    store.close();
  });

  it('keeps the first result for an ordinal delivered twice, and counts it once', () => {
    const store = Store.open(join(tmp(), 'dup.db'));
    const id = store.createExperiment(spec).runIds[0]!;
    expect(store.commitProgress(id, [evaluation(id, 0), evaluation(id, 1)]).map((e) => e.ordinal)).toEqual([0, 1]);
    const again = { ...evaluation(id, 1), value: 99, metrics: { valid_acc: 99 }, deviceSeconds: 7, host: 'other' };
    expect(store.insertEvaluation(again)).toBe(false);
    // In a batch, only the new ordinal is stored (and reported as stored).
    expect(store.commitProgress(id, [again, evaluation(id, 2)]).map((e) => e.ordinal)).toEqual([2]);
    expect(store.getRun(id)).toMatchObject({ evaluations: 3, deviceSeconds: 1.5 });
    expect(store.evaluations(id)[1]).toMatchObject({ ordinal: 1, value: 1, deviceSeconds: 0.5, host: null });
    store.close();
  });

  it('lists the workers that evaluated a run, whose device seconds with the supernet’s add up to the run’s', () => {
    const store = Store.open(join(tmp(), 'workers.db'));
    const id = store.createExperiment(spec).runIds[0]!;
    const on = (ordinal: number, host: string, backend: string, deviceKind: string, deviceSeconds: number): EvaluationRecord => ({ ...evaluation(id, ordinal), host, backend, deviceKind, deviceSeconds });
    const notCarriedOut = { ...evaluation(id, 4), status: 'failed', value: null, deviceSeconds: 0, deviceKind: 'none', backend: 'none', error: 'its worker process was killed by SIGKILL' } as const;
    store.commitProgress(
      id,
      [on(0, 'a', 'wasm', 'cpu', 10), on(1, 'b', 'tensorflow', 'gpu', 2), on(2, 'a', 'wasm', 'cpu', 20), on(3, 'b', 'wasm', 'cpu', 5), notCarriedOut],
      undefined,
      [{ evaluationsSeen: 2, deviceKind: 'cpu', seconds: 3, trainSteps: 4, scoreBatches: 0 }],
    );
    store.completeRun(id, { arch: 'x', archHash: 'h', ordinal: 0, value: 1, metrics: {}, deviceSeconds: 40, host: 'b', backend: 'tensorflow', deviceKind: 'gpu' });
    const workers = store.workers([id]).get(id)!;
    expect(workers).toEqual([
      { host: 'a', backend: 'wasm', deviceKind: 'cpu', evaluations: 2, deviceSeconds: 30 },
      { host: 'b', backend: 'tensorflow', deviceKind: 'gpu', evaluations: 2, deviceSeconds: 42 },
      { host: 'b', backend: 'wasm', deviceKind: 'cpu', evaluations: 1, deviceSeconds: 5 },
    ]);
    const total = workers.reduce((s, w) => s + w.deviceSeconds, 0) + store.supernetUsage(id).reduce((s, u) => s + u.seconds, 0);
    expect(total).toBe(store.getRun(id)!.deviceSeconds);
    store.close();
  });

  it('accumulates a run’s wall-clock seconds over its commits and sessions', () => {
    const store = Store.open(join(tmp(), 'wall.db'));
    const [id, other] = store.createExperiment(spec).runIds as [number, number];
    expect(store.getRun(id)!.wallSeconds).toBeNull();
    store.commitProgress(id, [evaluation(id, 0)], undefined, [], 1.5);
    store.commitProgress(id, [], 'snapshot', [], 2);
    store.setRunStatus(id, 'interrupted', null, 0.5);
    expect(store.getRun(id)!.wallSeconds).toBe(4);
    // Resumed: the next session adds its own.
    store.commitProgress(id, [evaluation(id, 1)], undefined, [], 3);
    store.completeRun(id, { arch: 'x', archHash: 'h', ordinal: 1, value: 1, metrics: {}, deviceSeconds: 1, host: 'a', backend: 'table', deviceKind: 'none' }, 1);
    expect(store.getRun(id)!.wallSeconds).toBe(8);
    expect(store.getRun(other)!.wallSeconds).toBeNull();
    store.close();
  });

  it('lets only one live process own a run', () => {
    const store = Store.open(join(tmp(), 'c.db'));
    const { runIds } = store.createExperiment(spec);
    const id = runIds[0]!;
    expect(store.claimRun(id, 'host:1', () => true)).toBe(true);
    expect(store.claimRun(id, 'host:2', () => true)).toBe(false);
    expect(store.claimRun(id, 'host:2', () => false)).toBe(true);
    expect(store.getRun(id)?.owner).toBe('host:2');
    store.close();
  });

  it('rejects a file that is not SQLite and leaves it untouched', () => {
    const path = join(tmp(), 'notes.db');
    writeFileSync(path, 'these are my notes, not a database\n'.repeat(200));
    const before = readFileSync(path);
    expect(() => Store.open(path)).toThrow(`--db ${path}: not a nasbench database (SQLite says: file is not a database)`);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('refuses a database with a newer schema', () => {
    const path = join(tmp(), 'new.db');
    const raw = new Database(path);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => Store.open(path)).toThrow(`schema version ${SCHEMA_VERSION + 1} is newer than this nasbench supports (${SCHEMA_VERSION})`);
  });
});
