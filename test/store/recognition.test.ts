import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID } from '../../src/store/recognize.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { Store } from '../../src/store/store.js';
import { derivedTaskRecord } from '../../src/tasks/record.js';
import { openStore } from '../../src/harness/open-store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'nasbench-recognition-'));

/** A database another program wrote (rollback journal, so nothing but the file itself). */
function foreignDb(path: string, setup: (db: Database.Database) => void): Buffer {
  const db = new Database(path);
  setup(db);
  db.close();
  return readFileSync(path);
}

/** A store as nasbench wrote it before stores carried the application id: `version` migrations, no mark. */
function unmarkedStore(path: string, version: number): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const sql of MIGRATIONS.slice(0, version)) db.exec(sql);
  db.pragma(`user_version = ${version}`);
  db.prepare(`INSERT INTO experiments (method, method_source, task, budget, params, config, code_version) VALUES ('random', 'builtin:random', 'nb201-cifar10', 5, '{}', '{}', 'old')`).run();
  db.prepare('INSERT INTO runs (experiment_id, seed) VALUES (1, 0)').run();
  db.close();
}

const header = (path: string) => {
  const db = new Database(path, { readonly: true });
  const out = { applicationId: db.pragma('application_id', { simple: true }), version: db.pragma('user_version', { simple: true }) };
  db.close();
  return out;
};

describe('which files are opened as a store', () => {
  it('marks a new store with nasbench’s application id', () => {
    const path = join(tmp(), 'new.db');
    Store.open(path).close();
    expect(header(path)).toEqual({ applicationId: APPLICATION_ID, version: SCHEMA_VERSION });
  });

  it.each([
    ['an application’s own tables', (db: Database.Database) => db.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('keep me')"), /it has table notes, schema version 0 and no nasbench mark/],
    ['another application id', (db: Database.Database) => (db.pragma(`application_id = ${0x464f4f44}`), db.exec('CREATE TABLE t (x)')), /its application id is 0x464f4f44, not nasbench's/],
    ['a clashing table named like nasbench’s', (db: Database.Database) => (db.exec('CREATE TABLE experiments (id INTEGER PRIMARY KEY, title TEXT); CREATE TABLE runs (x); CREATE TABLE evaluations (x); CREATE TABLE diagnostics (x)'), db.pragma('user_version = 1')), /it has tables diagnostics, evaluations, experiments, runs, schema version 1 and no nasbench mark/],
    ['only a schema version', (db: Database.Database) => db.pragma('user_version = 2'), /it has no tables, schema version 2 and no nasbench mark/],
  ])('refuses a foreign database with %s, for writing and for reading, and leaves it byte for byte', (_what, setup, why) => {
    const dir = tmp();
    const path = join(dir, 'other.sqlite');
    const before = foreignDb(path, setup);
    for (const mode of ['write', 'read'] as const) {
      expect(() => Store.open(path, mode)).toThrow(new RegExp(`^--db ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not a nasbench database \\(${why.source.replace(/^\//, '')}`));
    }
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(dir)).toEqual(['other.sqlite']);
  });

  it('opens an empty (0-byte) file as a new store', () => {
    const path = join(tmp(), 'empty.db');
    foreignDb(path, () => undefined);
    expect(readFileSync(path).length).toBe(0);
    const store = Store.open(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    store.close();
  });

  it.each([1, 2, 3])('recognises a store written before the mark (schema version %i) by its tables and upgrades it', (version) => {
    const path = join(tmp(), 'old.db');
    unmarkedStore(path, version);
    // As the commands open it: the upgrade derives the task records of its experiments.
    const store = openStore(path);
    expect(store.runs()).toMatchObject([{ method: 'random', seed: 0, codeVersion: 'old', taskRecord: { name: 'nb201-cifar10' } }]);
    store.close();
    expect(header(path)).toEqual({ applicationId: APPLICATION_ID, version: SCHEMA_VERSION });
  });

  it('a clashing table in an old store: one line, and the store is left at its version', () => {
    const path = join(tmp(), 'clash.db');
    unmarkedStore(path, 2);
    const db = new Database(path);
    db.exec('CREATE TABLE supernet_usage (note TEXT)');
    db.close();
    expect(() => Store.open(path)).toThrow(`--db ${path}: cannot upgrade the store to schema version 3 (table supernet_usage already exists); it was left as it was`);
    expect(header(path)).toEqual({ applicationId: 0, version: 2 });
  });

  it('reading never creates a file or a folder', () => {
    const dir = tmp();
    const typo = join(dir, 'resutls', 'nasbench.db');
    expect(() => Store.open(typo, 'read')).toThrow(`--db ${typo}: no such database (check the path; 'nasbench run' creates one)`);
    expect(existsSync(join(dir, 'resutls'))).toBe(false);
  });

  it('reading a current store changes nothing in it', () => {
    const path = join(tmp(), 'runs.db');
    const store = Store.open(path);
    store.createExperiment({ method: 'random', methodSource: 'builtin:random', task: 'nb201-cifar10', budget: 5, params: {}, config: {}, taskRecord: derivedTaskRecord({ task: 'nb201-cifar10', config: {}, finalMetricKeys: new Set() }), codeVersion: 'x', seeds: [0] });
    store.close();
    const before = readFileSync(path);
    const reader = Store.open(path, 'read');
    expect(reader.runs()).toHaveLength(1);
    expect(() => reader.createExperiment({ method: 'random', methodSource: 'builtin:random', task: 'nb201-cifar10', budget: 5, params: {}, config: {}, taskRecord: derivedTaskRecord({ task: 'nb201-cifar10', config: {}, finalMetricKeys: new Set() }), codeVersion: 'x', seeds: [1] })).toThrow(/readonly/);
    reader.close();
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('paths that cannot be a database: one line each', () => {
    const dir = tmp();
    expect(() => Store.open(dir)).toThrow(`--db ${dir}: is a directory; expected a database file`);
    expect(() => Store.open(dir, 'read')).toThrow(`--db ${dir}: is a directory; expected a database file`);
    expect(() => Store.open('/dev/null')).toThrow('--db /dev/null: not a regular file (a device, pipe or socket); expected a database file');
  });
});
