import type { ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUE_NAME } from '../../src/harness/queue-job.js';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../data/fixtures.js';
import { nasbenchAsync, startNasbench } from '../../support/cli.js';
import { evaluationCount, exited, sleep } from '../../support/kill.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';
import { HAVE_REDIS, REDIS_SERVER, startRedis, type RedisServer } from '../../support/redis.js';

/** Short locks, so that a killed worker's job is taken again within seconds (docs/DISTRIBUTED.md). */
const FAST = { NASBENCH_QUEUE_LOCK_MS: '2000', NASBENCH_QUEUE_CHECK_MS: '1000' };

/** Per run: (ordinal, arch, status, value) of every evaluation, and the run's final cell and value. */
function outcome(db: string): string {
  const store = Store.open(db);
  try {
    return JSON.stringify(
      store.runs().map((r) => ({
        run: [r.seed, r.status, r.finalArch, r.finalValue],
        evaluations: store.evaluations(r.id).map((e) => [e.ordinal, e.arch, e.status, e.value]),
      })),
    );
  } finally {
    store.close();
  }
}

interface Worker {
  readonly child: ChildProcess;
  readonly stderr: () => string;
}

function startWorker(url: string, dataDir: string, env: Record<string, string> = {}, extra: string[] = []): Worker {
  const child = startNasbench(['worker', '--queue', url, '--data-dir', dataDir, ...extra], { ...FAST, ...env });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, stderr: () => stderr };
}

async function stop(workers: Worker[]): Promise<void> {
  await Promise.all(workers.filter((w) => w.child.exitCode === null && w.child.signalCode === null).map((w) => (w.child.kill('SIGKILL'), exited(w.child))));
}

describe.skipIf(!HAVE_REDIS)(`BullMQ on Redis (needs ${REDIS_SERVER}; .ci/run installs Debian's redis-server)`, () => {
  let redis: RedisServer;
  let nb201: string;
  let work: string;
  const reference = new Map<string, string>();
  const tabular = ['run', 'evolution', '--task', 'nb201-cifar10', '--seeds', '2', '--budget', '40', '--quiet'];

  beforeAll(async () => {
    redis = await startRedis();
    nb201 = writeNb201Fixture();
    work = tempDir('nasbench-queue-');
    const db = join(work, 'reference.db');
    expect((await nasbenchAsync([...tabular, '--data-dir', nb201, '--db', db])).status).toBe(0);
    reference.set('tabular', outcome(db));
  });
  afterAll(() => redis?.kill());

  it('a coordinator and two workers give exactly the in-process results', async () => {
    const workers = [startWorker(redis.url, nb201), startWorker(redis.url, nb201)];
    const db = join(work, 'queued.db');
    const r = await nasbenchAsync([...tabular, '--data-dir', nb201, '--db', db, '--queue', redis.url], FAST);
    await stop(workers);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(outcome(db)).toBe(reference.get('tabular'));
    // Both workers took jobs.
    for (const w of workers) expect(w.stderr()).toMatch(/: ok on /);
    // Each result carried its worker's host into the store (the workers run on this machine).
    const store = Store.open(db);
    try {
      for (const run of store.runs()) {
        expect(store.workers([run.id]).get(run.id)).toEqual([{ host: hostname(), backend: 'table', deviceKind: 'none', evaluations: 41, deviceSeconds: expect.any(Number) }]);
      }
    } finally {
      store.close();
    }
  }, 120_000);

  it('kill -9 of the coordinator, then resume: nothing lost or duplicated', async () => {
    const workers = [startWorker(redis.url, nb201), startWorker(redis.url, nb201)];
    const db = join(work, 'coordinator-killed.db');
    const coordinator = startNasbench([...tabular, '--data-dir', nb201, '--db', db, '--queue', redis.url, '--workers', '2'], FAST);
    for (let i = 0; i < 3000 && evaluationCount(db) < 10; i++) await sleep(10);
    coordinator.kill('SIGKILL');
    await exited(coordinator);
    expect(evaluationCount(db)).toBeLessThan(80);
    const resumed = await nasbenchAsync(['resume', '--all', '--data-dir', nb201, '--db', db, '--queue', redis.url, '--quiet'], FAST);
    await stop(workers);
    expect(resumed.status).toBe(0);
    expect(outcome(db)).toBe(reference.get('tabular'));
  }, 120_000);

  it('Redis restarted without persistence mid-run: the lost jobs are added again and the run finishes', async () => {
    const workers = [startWorker(redis.url, nb201), startWorker(redis.url, nb201)];
    const db = join(work, 'redis-restarted.db');
    const run = nasbenchAsync([...tabular, '--data-dir', nb201, '--db', db, '--queue', redis.url, '--workers', '2'], FAST);
    for (let i = 0; i < 3000 && evaluationCount(db) < 10; i++) await sleep(10);
    await redis.kill();
    expect(evaluationCount(db)).toBeLessThan(80);
    await sleep(500);
    await redis.restart();
    const r = await run;
    let finished = r.status === 0;
    if (!finished) {
      // A coordinator that gave up says so in one line; resume then finishes the run.
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      finished = (await nasbenchAsync(['resume', '--all', '--data-dir', nb201, '--db', db, '--queue', redis.url, '--quiet'], FAST)).status === 0;
    }
    await stop(workers);
    expect(finished).toBe(true);
    expect(outcome(db)).toBe(reference.get('tabular'));
  }, 180_000);

  it('a queue URL where nothing answers: one line, exit code 2, no experiment stored', async () => {
    const db = join(work, 'unreachable.db');
    const r = await nasbenchAsync([...tabular, '--data-dir', nb201, '--db', db, '--queue', 'redis://127.0.0.1:1']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^Error: --queue redis:\/\/127\.0\.0\.1:1: no Redis answers there/)]);
    const store = Store.open(db);
    expect(store.runs()).toEqual([]);
    store.close();
    const w = await nasbenchAsync(['worker', '--queue', 'redis://127.0.0.1:1']);
    expect(w.status).toBe(2);
    expect(w.stderr.trim().split('\n')).toHaveLength(1);
  }, 60_000);

  it('a worker refuses, in one line, a job from another nasbench version and a job on other data', async () => {
    // An older coordinator's job, put on the queue directly.
    const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
    await queue.add('evaluate', { version: 'nasbench@0.0.1', task: 'nb201-cifar10', options: { fetch: false, backend: 'auto' }, checksums: {}, job: { id: 'old', phase: 'search', ordinal: 0, arch: 'x', seed: 0 } }, { jobId: 'old-version-job' });
    const old = startWorker(redis.url, nb201);
    expect(await exited(old.child)).toBe(2);
    expect(old.stderr().trim().split('\n').at(-1)).toMatch(/^Error: job old-version-job comes from nasbench@0\.0\.1, this worker is nasbench@\d+\.\d+\.\d+/);
    await queue.obliterate({ force: true });
    await queue.close();

    // A worker whose data differ from the coordinator's.
    const other = join(tempDir('nasbench-queue-other-'), 'data');
    cpSync(nb201, other, { recursive: true });
    appendFileSync(join(other, 'nas-bench-201', 'nats_bench.csv'), '\n');
    const wrong = startWorker(redis.url, other);
    const db = join(work, 'wrong-data.db');
    const run = nasbenchAsync([...tabular, '--data-dir', nb201, '--db', db, '--queue', redis.url], FAST);
    expect(await exited(wrong.child)).toBe(2);
    expect(wrong.stderr().trim().split('\n').at(-1)).toMatch(/^Error: job \S+: this worker's data differ from the coordinator's \(nas-bench-201\/nats_bench\.csv under /);
    // A worker with the right data takes the refused job again, and the run is as without the refusal.
    const right = startWorker(redis.url, nb201);
    expect((await run).status).toBe(0);
    await stop([right]);
    expect(outcome(db)).toBe(reference.get('tabular'));
  }, 120_000);

  it('kill -9 of a worker mid-evaluation (trained smoke children): its job completes on another worker, stored once', async () => {
    const ptb = writePtbFixture();
    const trained = ['run', 'random', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--seeds', '1', '--budget', '4', '--data-dir', ptb, '--allow-unverified-data', '--quiet'];
    const ref = join(work, 'trained-reference.db');
    expect((await nasbenchAsync([...trained, '--workers', '1', '--db', ref])).status).toBe(0);
    const victim = startWorker(redis.url, ptb);
    const survivor = startWorker(redis.url, ptb);
    const db = join(work, 'worker-killed.db');
    const run = nasbenchAsync([...trained, '--db', db, '--queue', redis.url, '--workers', '2'], FAST);
    // Strike once both workers hold a job: the victim is in the middle of training a child.
    const queue = new Queue(QUEUE_NAME, { connection: { host: '127.0.0.1', port: redis.port } });
    for (let i = 0; i < 1200 && (await queue.getActiveCount()) < 2; i++) await sleep(100);
    expect(await queue.getActiveCount()).toBe(2);
    await queue.close();
    victim.child.kill('SIGKILL');
    const r = await run;
    await stop([survivor]);
    expect(r.status).toBe(0);
    expect(outcome(db)).toBe(outcome(ref));
  }, 300_000);
});
