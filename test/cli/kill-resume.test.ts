import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench, nasbenchAsync, startNasbench } from '../../support/cli.js';
import { evaluationCount, exited, killRepeatedly, sequences, sleep } from '../../support/kill.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';

const SEEDS = 3;
const BUDGET = 4000;
let data: string;
let work: string;
beforeAll(() => {
  data = writeNb201Fixture();
  work = mkdtempSync(join(tmpdir(), 'nasbench-kill-'));
});

describe('crash and interrupt', () => {
  it('kill -9 at many moments loses, repeats and changes nothing', async () => {
    const run = ['run', 'evolution', '--task', 'nb201-cifar10', '--seeds', String(SEEDS), '--budget', String(BUDGET), '--data-dir', data, '--quiet'];
    const reference = join(work, 'reference.db');
    expect(nasbench([...run, '--db', reference]).status).toBe(0);

    const db = join(work, 'killed.db');
    const resume = ['resume', '--all', '--data-dir', data, '--quiet'];
    const { midRun } = await killRepeatedly({ run, resume, db, total: SEEDS * BUDGET, kills: 8, windowMs: 150 });
    expect(midRun).toBeGreaterThanOrEqual(3);
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

  it('kill -9 during a trained search changes nothing: same architectures, same order, same results (cpu backend)', async () => {
    const ptb = writePtbFixture();
    const run = ['run', 'evolution', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--seeds', '1', '--budget', '12', '--data-dir', ptb, '--allow-unverified-data', '--quiet'];
    const reference = join(work, 'trained-reference.db');
    const started = Date.now();
    expect((await nasbenchAsync([...run, '--db', reference])).status).toBe(0);
    // How long a child takes depends on the machine and on how many workers it has: strike
    // anywhere within about two children's time, as this machine measured it.
    const windowMs = Math.max(200, Math.round((2 * (Date.now() - started)) / 12));

    const db = join(work, 'trained-killed.db');
    const resume = ['resume', '--all', '--data-dir', ptb, '--quiet'];
    expect((await killRepeatedly({ run, resume, db, total: 12, kills: 3, windowMs })).midRun).toBeGreaterThanOrEqual(2);
    expect((await nasbenchAsync([...resume, '--db', db])).status).toBe(0);

    const outcome = (path: string) => {
      const store = Store.open(path);
      try {
        expect(store.integrityCheck()).toBe('ok');
        return store.runs().map((r) => ({
          run: [r.status, r.evaluations, r.finalArch, r.finalValue],
          evaluations: store.evaluations(r.id).map((e) => [e.ordinal, e.arch, e.status, e.value]),
        }));
      } finally {
        store.close();
      }
    };
    const killed = outcome(db);
    expect(killed[0]!.run[0]).toBe('completed');
    expect(killed).toEqual(outcome(reference));
  }, 600_000);

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
