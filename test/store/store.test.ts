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
    expect(() => store.insertEvaluation(evaluation(run.id, 1))).toThrow(/UNIQUE/);
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
