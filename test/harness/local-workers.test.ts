import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalWorkers } from '../../src/harness/local-workers.js';
import type { EvaluationJob } from '../../src/harness/evaluation.js';
import { resolveDataDir } from '../../src/data/data-dir.js';
import { getTask } from '../../src/tasks/index.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';

/** This process's local worker processes (Linux: read from /proc). */
function workerPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        return ppid === process.pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('evaluation-worker');
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

const killWorkers = () => workerPids().forEach((pid) => process.kill(pid, 'SIGKILL'));

describe.skipIf(!existsSync('/proc/self/stat'))('local worker processes (workerpool)', () => {
  const task = getTask('ptb');
  let data: string;
  let workers: LocalWorkers;
  let job: EvaluationJob;
  beforeAll(() => {
    data = writePtbFixture();
    workers = new LocalWorkers(1);
    job = { id: 'e1-r1-o0', phase: 'search', ordinal: 0, arch: task.reference!, seed: 42 };
  });
  afterAll(() => workers.close());
  // The fixture is not the published PTB: opening it needs the user's say-so, in the workers too.
  const options = { preset: 'smoke', backend: 'cpu', fetch: false, threads: 1, allowUnverifiedData: true };
  const dispatcher = () => workers.dispatcher({ task: 'ptb', dataDir: data, options });

  it('evaluate exactly what this process would', async () => {
    const inProcess = await (await task.open(resolveDataDir(data, {}), options)).evaluate(task.space.parse(job.arch), { seed: job.seed });
    const remote = await dispatcher().evaluate(job);
    expect(remote.status).toBe('ok');
    expect(remote.metrics).toEqual(inProcess.metrics);
    expect(remote.device).toEqual({ kind: 'cpu', backend: 'cpu', threads: 1 });
  }, 300_000);

  it('a worker killed mid-evaluation costs a retry on a fresh worker, with the same result', async () => {
    const undisturbed = await dispatcher().evaluate(job);
    let kills = 0;
    const retried = await dispatcher().evaluate(job, () => {
      if (kills === 0) (kills++, killWorkers());
    });
    expect(kills).toBe(1);
    expect(retried).toMatchObject({ status: 'ok', metrics: undisturbed.metrics });
  }, 300_000);

  it('killed again on the retry, the evaluation fails saying why', async () => {
    let kills = 0;
    const evaluation = dispatcher().evaluate(job, (p) => {
      if (p.step === 1 && kills < 2) (kills++, killWorkers());
    });
    await expect(evaluation).rejects.toThrow('evaluated twice, and both times its worker process was killed by SIGKILL');
    expect(kills).toBe(2);
    // The pool goes on with a fresh worker.
    expect((await dispatcher().evaluate(job)).status).toBe('ok');
  }, 300_000);
});
