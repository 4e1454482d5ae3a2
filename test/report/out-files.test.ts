/**
 * `report --out`: never onto the database it reads, and every file it writes (the report and its
 * PNG charts) replaced whole or not at all.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { ROOT, nasbench, type CliResult } from '../../support/cli.js';
import { fillUp, smallDisk } from '../helpers/full-disk.js';
import { writeComparisonStore } from '../helpers/comparison-store.js';

let data: string;
let work: string;
let db: string;
beforeAll(() => {
  ({ data, work, db } = writeComparisonStore('nasbench-out-files-', 10));
});

function expectOneLine(r: CliResult, message: string): void {
  expect(r.status, r.stderr).toBe(2);
  expect(r.stderr.trimEnd().split('\n')).toEqual([`Error: ${message}`]);
}

describe('report --out', () => {
  it('refuses the database it reads, its -wal and -shm, by any spelling, and leaves it intact', () => {
    const store = Store.open(db);
    const runs = store.runs().length;
    store.close();
    const link = join(work, 'link-to-runs.db');
    symlinkSync(db, link);
    const spellings = [db, `${db}-wal`, `${db}-shm`, join(work, '..', basename(work), 'runs.db'), link];
    for (const out of spellings) {
      expectOneLine(nasbench(['report', '--db', db, '--format', 'markdown', '--out', out]), `--out ${out}: is the database this report reads (--db ${db}); choose another file`);
    }
    const after = Store.open(db, 'read');
    expect(after.runs()).toHaveLength(runs);
    expect(after.integrityCheck()).toBe('ok');
    after.close();
  });

  it('replaces the report file whole (a new file renamed over the old one), leaving no temporary file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasbench-out-atomic-'));
    const out = join(dir, 'report.csv');
    writeFileSync(out, 'old report\n');
    const before = statSync(out).ino;
    const r = nasbench(['report', '--db', db, '--format', 'csv', '--no-charts', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(out).ino).not.toBe(before);
    expect(readFileSync(out, 'utf8')).toMatch(/^task,kind,method/);
    expect(readdirSync(dir)).toEqual(['report.csv']);
  });

  describe('on a disk that fills up', () => {
    // A real full file system: a small tmpfs.
    const { path: mount, mounted } = smallDisk('out-full', '8m');

    it.skipIf(!mounted)('the earlier report and all its charts stay as they were (needs a mountable tmpfs)', () => {
      const out = join(mount, 'report.md');
      const first = nasbench(['report', '--db', db, '--format', 'markdown', '--out', out]);
      expect(first.status, first.stderr).toBe(0);
      const folder = join(mount, 'report-charts');
      const files = [out, ...readdirSync(folder).map((f) => join(folder, f))];
      expect(files.length).toBeGreaterThan(2);
      const before = new Map(files.map((f) => [f, readFileSync(f)]));
      // Every byte left taken: neither a chart nor the report can be written now.
      fillUp(mount);
      const again = nasbench(['report', '--db', db, '--format', 'markdown', '--out', out]);
      expect(again.status).toBe(2);
      expect(again.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(again.stderr).toMatch(/^Error: --out .*: cannot write .*(ENOSPC|no space)/i);
      for (const [f, bytes] of before) expect(readFileSync(f).equals(bytes), f).toBe(true);
      expect(readdirSync(folder).sort()).toEqual(files.slice(1).map((f) => basename(f)).sort());
      expect(readdirSync(mount).filter((f) => !f.startsWith('filler-')).sort()).toEqual(['report-charts', 'report.md']);
    });
  });

  it('removes an earlier report’s charts only once the new ones exist', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasbench-out-charts-'));
    const out = join(dir, 'r.md');
    const folder = join(dir, 'r-charts');
    mkdirSync(folder);
    const stale = join(folder, 'old-chart-of-another-task.png');
    copyFileSync(join(ROOT, 'results', 'leaderboard-nb201.png'), stale);
    const r = nasbench(['report', '--db', db, '--format', 'markdown', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(stale)).toBe(false);
    const links = [...readFileSync(out, 'utf8').matchAll(/\]\((r-charts\/[^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    for (const l of links) expect(existsSync(join(dir, decodeURI(l))), l).toBe(true);
    expect(readdirSync(folder).length).toBe(links.length);
  });
});
