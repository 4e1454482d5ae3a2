import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench, startNasbench } from '../helpers/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

const SEEDS = 3;
const BUDGET = 4000;
let data: string;
let work: string;
beforeAll(() => {
  data = writeNb201Fixture();
  work = mkdtempSync(join(tmpdir(), 'nasbench-kill-'));
});

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sequences(db: string): string[][] {
  const store = Store.open(db);
  try {
    return store.runs().map((r) => store.evaluations(r.id).map((e) => e.arch));
  } finally {
    store.close();
  }
}

function evaluationCount(db: string): number {
  if (!existsSync(db)) return 0;
  const store = Store.open(db);
  try {
    return store.runs().reduce((n, r) => n + r.evaluations, 0);
  } finally {
    store.close();
  }
}

describe('crash and interrupt', () => {
  it('kill -9 at many moments loses, repeats and changes nothing', async () => {
    const run = ['run', 'evolution', '--task', 'nb201-cifar10', '--seeds', String(SEEDS), '--budget', String(BUDGET), '--data-dir', data, '--quiet'];
    const reference = join(work, 'reference.db');
    expect(nasbench([...run, '--db', reference]).status).toBe(0);

    const db = join(work, 'killed.db');
    const total = SEEDS * BUDGET;
    let killedMidRun = 0;
    for (let attempt = 0; attempt < 40 && killedMidRun < 8; attempt++) {
      const started = existsSync(db) && sequences(db).length > 0;
      const child = startNasbench(started ? ['resume', '--all', '--db', db, '--data-dir', data, '--quiet'] : [...run, '--db', db]);
      // Wait until this process is writing (start-up time varies with load), then strike at a random moment.
      const before = evaluationCount(db);
      const done = exited(child);
      let finished = false;
      void done.then(() => (finished = true));
      for (let i = 0; i < 400 && !finished && evaluationCount(db) === before; i++) await sleep(10);
      await sleep(Math.floor(Math.random() * 150));
      child.kill('SIGKILL');
      await done;
      const count = evaluationCount(db);
      if (count > 0 && count < total) killedMidRun++;
      if (count === total) break;
    }
    expect(killedMidRun).toBeGreaterThanOrEqual(3);
    const finish = nasbench(['resume', '--all', '--db', db, '--data-dir', data, '--quiet']);
    expect(finish.status).toBe(0);

    expect(sequences(db)).toEqual(sequences(reference));
    const store = Store.open(db);
    const ref = Store.open(reference);
    try {
      expect(store.integrityCheck()).toBe('ok');
      expect(store.runs().map((r) => [r.status, r.evaluations, r.finalArch, r.finalValue])).toEqual(
        ref.runs().map((r) => [r.status, r.evaluations, r.finalArch, r.finalValue]),
      );
    } finally {
      store.close();
      ref.close();
    }
  }, 180_000);

  it('Ctrl-C stops after the evaluation in flight and says how to resume', async () => {
    const db = join(work, 'sigint.db');
    const child = startNasbench(['run', 'random', '--task', 'nb201-cifar10', '--seeds', '4', '--budget', '6000', '--db', db, '--data-dir', data]);
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const code = exited(child);
    for (let i = 0; i < 100 && evaluationCount(db) === 0; i++) await sleep(50);
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(stderr).toContain(`interrupted; continue with: nasbench resume --experiment 1 --db ${db}`);
    const store = Store.open(db);
    const statuses = store.runs().map((r) => r.status);
    store.close();
    expect(statuses).toContain('interrupted');
    expect(statuses.filter((s) => s === 'running')).toEqual([]);
    expect(nasbench(['resume', '--experiment', '1', '--db', db, '--data-dir', data, '--quiet']).status).toBe(0);
    const again = Store.open(db);
    expect(again.runs().map((r) => [r.status, r.evaluations])).toEqual(Array(4).fill(['completed', 6000]));
    again.close();
  }, 120_000);
});
