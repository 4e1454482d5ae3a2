import type Database from 'better-sqlite3';
import { SCHEMA_VERSION } from './schema.js';

/**
 * nasbench's mark in the SQLite header (`PRAGMA application_id`, the bytes "NASB"): set when a
 * store is created or first upgraded, so that nasbench never takes another program's database for
 * its own.
 */
export const APPLICATION_ID = 0x4e415342;

/** Schema versions written before stores carried the mark; such stores are known by their tables. */
const UNMARKED_VERSIONS = 3;

/** The tables each unmarked schema version has, and columns only nasbench's `experiments` has. */
const TABLES_OF_MIGRATION_1 = ['experiments', 'runs', 'evaluations', 'diagnostics'];
const TABLES_OF_MIGRATION_3 = ['supernet_usage'];
const EXPERIMENT_COLUMNS = ['method', 'method_source', 'task', 'budget', 'params', 'config', 'code_version'];

export type StoreKind =
  /** No schema at all: a new file, or a 0-byte one. */
  | { readonly kind: 'empty' }
  /** A nasbench store of this schema version (unmarked: written before the mark existed). */
  | { readonly kind: 'nasbench'; readonly version: number; readonly marked: boolean }
  /** Someone else's database; `why` says what gave it away. */
  | { readonly kind: 'foreign'; readonly why: string };

/** Tells, by reading the header and the schema only, whose database `db` is. */
export function recognize(db: Database.Database): StoreKind {
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = db.pragma('user_version', { simple: true }) as number;
  if (applicationId === APPLICATION_ID) return { kind: 'nasbench', version, marked: true };
  if (applicationId !== 0) return { kind: 'foreign', why: `its application id is 0x${(applicationId >>> 0).toString(16)}, not nasbench's` };
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
  const objects = db.prepare("SELECT count(*) AS n FROM sqlite_master").get() as { n: number };
  if (version === 0 && objects.n === 0) return { kind: 'empty' };
  const expected = [...TABLES_OF_MIGRATION_1, ...(version >= 3 ? TABLES_OF_MIGRATION_3 : [])];
  const columns = tables.includes('experiments')
    ? (db.prepare('SELECT name FROM pragma_table_info(?)').all('experiments') as { name: string }[]).map((c) => c.name)
    : [];
  const ours =
    version >= 1 &&
    version <= Math.min(UNMARKED_VERSIONS, SCHEMA_VERSION) &&
    expected.every((t) => tables.includes(t)) &&
    EXPERIMENT_COLUMNS.every((c) => columns.includes(c));
  if (ours) return { kind: 'nasbench', version, marked: false };
  const listed = tables.length === 0 ? 'no tables' : `table${tables.length === 1 ? '' : 's'} ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', …' : ''}`;
  return { kind: 'foreign', why: `it has ${listed}, schema version ${version} and no nasbench mark` };
}
