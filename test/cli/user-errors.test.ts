/**
 * Inputs that are the user's — a database path, an output path, a data directory, a mirror, run
 * ids — that the machine refuses: each is one line naming the input, exit code 2, nothing changed.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../src/store/schema.js';
import { ROOT, nasbench, type CliResult } from '../../support/cli.js';
import { fillUp, smallDisk } from '../helpers/full-disk.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let work: string;
let db: string;
beforeAll(() => {
  data = writeNb201Fixture();
  work = mkdtempSync(join(tmpdir(), 'nasbench-user-errors-'));
  db = join(work, 'runs.db');
  const r = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--seeds', '2', '--budget', '5', '--db', db, '--data-dir', data, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
});

/** Exit code 2 and exactly one line on stderr, matching `message`. */
function expectOneLine(r: CliResult, message: string | RegExp): void {
  expect(r.status, r.stderr).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  if (typeof message === 'string') expect(lines[0]).toBe(`Error: ${message}`);
  else expect(lines[0]).toMatch(message);
}

describe('the store file', () => {
  it('report and show read a foreign SQLite file without touching it; run refuses it too', () => {
    const path = join(work, 'photos.sqlite');
    const other = new Database(path);
    other.exec("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos (name) VALUES ('cat.jpg')");
    other.close();
    const before = readFileSync(path);
    const why = `--db ${path}: not a nasbench database (it has table photos, schema version 0 and no nasbench mark); it was left untouched, choose another file`;
    expectOneLine(nasbench(['report', '--db', path]), why);
    expectOneLine(nasbench(['show', '1', '--db', path]), why);
    expectOneLine(nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', path, '--data-dir', data]), why);
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(readdirSync(work).filter((f) => f.startsWith('photos'))).toEqual(['photos.sqlite']);
  });

  it('a typo in --db: report and show say so and create nothing', () => {
    const typo = join(work, 'resluts', 'nasbench.db');
    for (const args of [['report'], ['show', '1']]) {
      expectOneLine(nasbench([...args, '--db', typo]), `--db ${typo}: no such database (check the path; 'nasbench run' creates one)`);
    }
    expect(existsSync(join(work, 'resluts'))).toBe(false);
  });

  it('NASBENCH_DB=/dev/null', () => {
    const why = '--db /dev/null: not a regular file (a device, pipe or socket); expected a database file';
    expectOneLine(nasbench(['report'], { NASBENCH_DB: '/dev/null' }), why);
    expectOneLine(nasbench(['run', 'random', '--task', 'nb201-cifar10', '--data-dir', data], { NASBENCH_DB: '/dev/null' }), why);
  });

  it('a store with a clashing table cannot be upgraded: one line, left as it was', () => {
    const path = join(work, 'clash.db');
    const old = new Database(path);
    for (const sql of MIGRATIONS.slice(0, 2)) old.exec(sql);
    old.exec('CREATE TABLE supernet_usage (note TEXT)');
    old.pragma('user_version = 2');
    old.close();
    const before = readFileSync(path);
    expectOneLine(nasbench(['report', '--db', path]), /^Error: --db .*clash\.db: cannot upgrade the store to schema version 3 \(table supernet_usage already exists\); it was left as it was$/);
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  // Root may write any file, so the check runs the CLI as the unprivileged user `nobody`.
  const canDropPrivileges = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
  it.skipIf(!canDropPrivileges)('a read-only database, for a user who may not write it: run refuses in one line; report reads it, or says in one line why it cannot (needs root and setpriv, to run as nobody)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasbench-readonly-'));
    const path = join(dir, 'shared.db');
    const r = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--budget', '5', '--db', path, '--data-dir', data, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    for (let d = data; d !== tmpdir() && d.length > 1; d = join(d, '..')) chmodSync(d, 0o755);
    chmodSync(path, 0o444);
    const before = readFileSync(path);
    const asNobody = (args: string[]): CliResult => {
      const p = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, join(ROOT, 'bin', 'run.js'), ...args], {
        cwd: tmpdir(),
        encoding: 'utf8',
        env: { PATH: process.env.PATH ?? '', HOME: dir },
        timeout: 120_000,
      });
      return { status: p.status, stdout: p.stdout, stderr: p.stderr };
    };
    const refused = `--db ${path}: read-only for this user (EACCES: permission denied, access '${path}'); nasbench writes the file and its folder: fix the permissions, or choose another --db`;
    // The folder writable by everyone (SQLite may create its -shm file there), the file not.
    chmodSync(dir, 0o777);
    expectOneLine(asNobody(['run', 'random', '--task', 'nb201-cifar10', '--budget', '5', '--db', path, '--data-dir', data]), refused);
    const report = asNobody(['report', '--db', path, '--json']);
    expect(report.status, report.stderr).toBe(0);
    expect(JSON.parse(report.stdout)[0]).toMatchObject({ method: 'random', runs: 1, completed: 1 });
    // Folder and file read-only: SQLite cannot even read a WAL database there.
    for (const side of ['-wal', '-shm']) rmSync(path + side, { force: true });
    chmodSync(dir, 0o555);
    expectOneLine(asNobody(['run', 'random', '--task', 'nb201-cifar10', '--budget', '5', '--db', path, '--data-dir', data]), refused);
    expectOneLine(asNobody(['report', '--db', path]), /^Error: --db .*shared\.db: cannot read it \(SQLite says: .*\); SQLite needs to create its -shm file beside it, so its folder must be writable by this user: fix that, or copy the file to a folder that is$/);
    expect(readFileSync(path).equals(before)).toBe(true);
    chmodSync(dir, 0o755);
  });
});

describe('a full disk', () => {
  // A real full file system: a 64 KiB tmpfs, filled up.
  const { path: mount, mounted } = smallDisk('full', '64k');

  it.skipIf(!mounted)('a new database on a full disk: one line, and no empty file left behind (needs a mountable tmpfs)', () => {
    fillUp(mount);
    const path = join(mount, 'new.db');
    expectOneLine(nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', path, '--data-dir', data]), /^Error: --db .*new\.db: the disk is full \(SQLite says: .*\); free space or choose another --db$/);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(mount).filter((f) => !f.startsWith('filler-'))).toEqual([]);
  });
});

describe('other paths and values', () => {
  it('report --out onto a directory', () => {
    const dir = join(work, 'reports');
    mkdirSync(dir, { recursive: true });
    expectOneLine(nasbench(['report', '--db', db, '--format', 'markdown', '--out', dir]), `--out ${dir}: is a directory; expected a file name`);
  });

  it('an NB201 table path that is a directory', () => {
    const broken = mkdtempSync(join(tmpdir(), 'nasbench-nb201-dir-'));
    mkdirSync(join(broken, 'nas-bench-201', 'nb201_minibench_accs.jsonl'), { recursive: true });
    writeFileSync(join(broken, 'nas-bench-201', 'nats_bench.csv'), readFileSync(join(data, 'nas-bench-201', 'nats_bench.csv')));
    const path = join(broken, 'nas-bench-201', 'nb201_minibench_accs.jsonl');
    expectOneLine(nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', join(work, 'dir-table.db'), '--data-dir', broken]), `${path}: is a directory, expected a file`);
  });

  it("data fetch --mirror 'not a url'", () => {
    const empty = mkdtempSync(join(tmpdir(), 'nasbench-mirror-'));
    expectOneLine(nasbench(['data', 'fetch', 'ptb', '--data-dir', empty, '--mirror', 'not a url']), "--mirror 'not a url': expected an http:// or https:// URL such as http://mirror.example.org/nasbench");
    expect(readdirSync(empty)).toEqual([]);
  });

  it("show 'abc'", () => {
    expectOneLine(nasbench(['show', 'abc', '--db', db]), 'run id "abc": expected a positive whole number');
  });
});
