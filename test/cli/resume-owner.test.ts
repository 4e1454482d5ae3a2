/**
 * Crashed runs whose recorded owner cannot be the process that owned them any more (its PID now
 * belongs to another process), or that another host owned, can be resumed.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
beforeAll(() => {
  data = writeNb201Fixture();
});

/** A store with one interrupted run (after a kill -9), its owner recorded as `owner`. */
function crashedRun(owner: string): { db: string; runId: number } {
  const db = join(mkdtempSync(join(tmpdir(), 'nasbench-owner-')), 'runs.db');
  const r = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--budget', '8', '--db', db, '--data-dir', data, '--quiet']);
  expect(r.status, r.stderr).toBe(0);
  const raw = new Database(db);
  const { id: runId } = raw.prepare('SELECT id FROM runs').get() as { id: number };
  // As a process killed mid-run leaves it: status running, its owner recorded.
  raw.prepare("UPDATE runs SET status = 'running', owner = ?, final_arch = NULL, final_value = NULL WHERE id = ?").run(owner, runId);
  raw.close();
  return { db, runId };
}

describe('resume and the owner of a crashed run', () => {
  it.skipIf(process.platform !== 'linux')('a dead owner whose PID another live process now has is detected (by its start time) and the run resumes (needs /proc)', () => {
    // This test's own process is alive, but it is not the one that started at time 1.
    const { db, runId } = crashedRun(`${hostname()}:${process.pid}:${readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim()}:1`);
    const r = nasbench(['resume', String(runId), '--db', db, '--data-dir', data, '--quiet']);
    expect(r.status, r.stderr).toBe(0);
    const store = Store.open(db, 'read');
    expect(store.getRun(runId)).toMatchObject({ status: 'completed', evaluations: 8 });
    store.close();
  });

  it('another host’s run: refused in one line that names --force; --force takes it over with a warning', () => {
    const owner = `build-box-7:4242:0b7c4a5e-0000-4000-8000-000000000000:123`;
    const { db, runId } = crashedRun(owner);
    const refused = nasbench(['resume', String(runId), '--db', db, '--data-dir', data]);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trimEnd().split('\n')).toEqual([
      `Error: run ${runId} is owned by process 4242 on host build-box-7, which this machine cannot check; if that process is gone, 'nasbench resume ${runId} --force' takes the run over`,
    ]);
    const forced = nasbench(['resume', String(runId), '--force', '--db', db, '--data-dir', data, '--quiet']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(forced.stderr).toContain(
      `warning: run ${runId}: taking it over from process 4242 on host build-box-7 (--force); if that process is still running it, both will write this run`,
    );
    const store = Store.open(db, 'read');
    expect(store.getRun(runId)).toMatchObject({ status: 'completed', evaluations: 8 });
    store.close();
  });

  it('--force does not take a run from a live process on this machine', () => {
    const { db, runId } = crashedRun(`${hostname()}:${process.pid}`);
    const r = nasbench(['resume', String(runId), '--force', '--db', db, '--data-dir', data]);
    expect(r.status).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      `Error: run ${runId} is being run by another live process (${hostname()}:${process.pid}); wait for it or stop it first`,
    ]);
  });
});
