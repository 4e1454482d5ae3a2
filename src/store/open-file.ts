/**
 * The file side of opening a store: what is at the path, whose database it is, creating it and
 * cleaning up when creating fails, and turning SQLite's and the file system's refusals into one
 * line the user can act on.
 */
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, mkdirSync, openSync, readSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { StoreWriteError, UserError, errorMessage } from '../errors.js';
import { APPLICATION_ID, recognize, type StoreKind } from './recognize.js';

/** SQLite's files beside a database. */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** The size of the regular file at `path`, or null when there is none; anything else there is the user's mistake. */
export function existingFile(path: string): { readonly size: number } | null {
  let stat;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UserError(`--db ${path}: cannot reach it (${errorMessage(err)})`);
  }
  if (stat.isDirectory()) throw new UserError(`--db ${path}: is a directory; expected a database file`);
  if (!stat.isFile()) throw new UserError(`--db ${path}: not a regular file (a device, pipe or socket); expected a database file`);
  return { size: stat.size };
}

/** The application id in an SQLite file's header (offset 68), or null when it has no SQLite header. */
function headerApplicationId(path: string): number | null {
  const header = Buffer.alloc(100);
  const fd = openSync(path, 'r');
  try {
    if (readSync(fd, header, 0, 100, 0) < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return null;
    return header.readInt32BE(68);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whose database the existing, non-empty file at `path` is. Another program's application id is
 * seen in the header without opening the file with SQLite; otherwise a read-only connection looks
 * at the header and the schema and writes nothing.
 */
export function probe(path: string): StoreKind {
  let applicationId: number | null;
  try {
    applicationId = headerApplicationId(path);
  } catch (err) {
    throw new UserError(`--db ${path}: cannot read it (${errorMessage(err)})`);
  }
  if (applicationId !== null && applicationId !== 0 && applicationId !== APPLICATION_ID) {
    return { kind: 'foreign', why: `its application id is 0x${(applicationId >>> 0).toString(16)}, not nasbench's` };
  }
  const db = openReadOnly(path);
  try {
    db.pragma('busy_timeout = 15000');
    return recognize(db);
  } catch (err) {
    throw explainOpenError(path, err, 'read');
  } finally {
    db.close();
  }
}

/** A store that is written needs the file and its folder (SQLite's side files go there) writable by this user. */
export function checkWritable(path: string, why = 'nasbench writes the file and its folder'): void {
  for (const target of [path, dirname(path)]) {
    try {
      accessSync(target, constants.W_OK);
    } catch (err) {
      throw new UserError(`--db ${path}: read-only for this user (${errorMessage(err)}); ${why}: fix the permissions, or choose another --db`);
    }
  }
}

/** Creates the folders a new database needs; returns the outermost one it created, if any. */
export function createParents(path: string): { readonly dir: string | undefined } {
  try {
    return { dir: mkdirSync(dirname(path), { recursive: true }) };
  } catch (err) {
    throw new UserError(`--db ${path}: cannot create its folder (${errorMessage(err)})`);
  }
}

/** Undoes a database creation that failed: no empty file or folder is left behind. */
export function removeCreated(path: string, created: { readonly dir: string | undefined }): void {
  for (const file of [path, ...SIDE_FILES.map((s) => path + s)]) rmSync(file, { force: true });
  if (created.dir === undefined) return;
  const top = resolve(created.dir);
  for (let dir = resolve(dirname(path)); dir.startsWith(top); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
    if (dir === top) return;
  }
}

/** A connection that cannot write; one line when SQLite refuses it. */
export function openReadOnly(path: string): Database.Database {
  try {
    return new Database(path, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw explainOpenError(path, err, 'read');
  }
}

/** A connection that may write (creating the file if there is none); one line when SQLite refuses it. */
export function openWritable(path: string): Database.Database {
  try {
    return new Database(path);
  } catch (err) {
    throw explainOpenError(path, err, 'write');
  }
}

/** What the user should know when SQLite or the file system refuses a database. */
export function explainOpenError(path: string, err: unknown, mode: 'read' | 'write'): unknown {
  if (err instanceof UserError || err instanceof StoreWriteError) return err;
  const code = (err as { code?: string }).code ?? '';
  const says = `SQLite says: ${errorMessage(err)}`;
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') return new UserError(`--db ${path}: not a nasbench database (${says})`);
  const refused = code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PERM' || code === 'SQLITE_AUTH';
  if (refused && mode === 'read') {
    return new UserError(
      `--db ${path}: cannot read it (${says}); SQLite needs to create its -shm file beside it, so its folder must be writable by this user: fix that, or copy the file to a folder that is`,
    );
  }
  if (code === 'SQLITE_FULL') return new UserError(`--db ${path}: the disk is full (${says}); free space or choose another --db`);
  if (refused) {
    return new UserError(`--db ${path}: cannot use it (${says}); the file and its folder must be writable by this user, or choose another --db`);
  }
  if (code.startsWith('SQLITE_IOERR')) return new UserError(`--db ${path}: input/output error (${says}); check the disk, or choose another --db`);
  if (code.startsWith('SQLITE_BUSY')) return new UserError(`--db ${path}: locked by another process for over 15 s (${says}); try again when it is done`);
  return err;
}
