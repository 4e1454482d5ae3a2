import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { tempDir } from '../data/fixtures.js';
import { nasbenchAsync } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';

interface Outcome {
  readonly runs: unknown[][];
  /** Per run: (ordinal, arch, status, value) of every evaluation. */
  readonly evaluations: string;
  /** Every evaluation's [start, end] in ms, across runs. */
  readonly spans: [number, number][];
}

/** The outcomes by worker count, and the directory of their databases (w1.db, w2.db, w4.db). */
type ByWorkers = Map<number, Outcome> & { dir: string };

function outcome(db: string): Outcome {
  const store = Store.open(db);
  try {
    const runs = store.runs();
    const all = runs.map((r) => store.evaluations(r.id));
    return {
      runs: runs.map((r) => [r.seed, r.status, r.evaluations, r.finalArch, r.finalOrdinal, r.finalValue]),
      evaluations: JSON.stringify(all.map((es) => es.map((e) => [e.ordinal, e.arch, e.status, e.value]))),
      spans: all.flat().map((e) => [Date.parse(e.startedAt), Date.parse(e.finishedAt)]),
    };
  } finally {
    store.close();
  }
}

const overlaps = (spans: [number, number][]) => spans.some(([s, e], i) => spans.some(([s2, e2], j) => i !== j && s < e2 && s2 < e));

/** Runs the same experiment with --workers 1, 2 and 4; the outcomes, by worker count. */
async function byWorkers(args: string[]): Promise<ByWorkers> {
  const dir = tempDir('nasbench-workers-');
  const outcomes = Object.assign(new Map<number, Outcome>(), { dir });
  for (const workers of [1, 2, 4]) {
    const db = join(dir, `w${workers}.db`);
    const r = await nasbenchAsync([...args, '--workers', String(workers), '--db', db, '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    outcomes.set(workers, outcome(db));
  }
  return outcomes;
}

describe('--workers: evaluations in flight at once, the same results for any number', () => {
  it('tabular: 1, 2 and 4 workers give byte-identical evaluations, final cells and values', async () => {
    const data = writeNb201Fixture();
    for (const method of ['random', 'evolution']) {
      const o = await byWorkers(['run', method, '--task', 'nb201-cifar10', '--seeds', '5', '--budget', '80', '--data-dir', data]);
      const one = o.get(1)!;
      expect(one.runs.map((r) => r[1])).toEqual(Array(5).fill('completed'));
      for (const n of [2, 4]) {
        expect(o.get(n)!.evaluations).toBe(one.evaluations);
        expect(o.get(n)!.runs).toEqual(one.runs);
      }
    }
  }, 120_000);

  it('trained (ptb smoke, cpu): 1 in-process, 2 and 4 local worker processes give byte-identical rows, evaluated concurrently', async () => {
    const data = writePtbFixture();
    const o = await byWorkers(['run', 'random', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--seeds', '2', '--budget', '3', '--data-dir', data, '--allow-unverified-data']);
    const one = o.get(1)!;
    expect(one.runs.map((r) => r[1])).toEqual(['completed', 'completed']);
    expect(overlaps(one.spans)).toBe(false);
    for (const n of [2, 4]) {
      expect(o.get(n)!.evaluations).toBe(one.evaluations);
      expect(o.get(n)!.runs).toEqual(one.runs);
      expect(overlaps(o.get(n)!.spans)).toBe(true);
    }
    // show lists the workers that evaluated the run (local worker processes: this host), three
    // search evaluations and the final one, and the run's wall-clock time.
    const show = await nasbenchAsync(['show', '1', '--db', join(o.dir, 'w2.db')]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/ · wall-clock \d+(\.\d+)? (ms|s|min) · /);
    expect(show.stdout.split('\n').filter((l) => l.startsWith('worker '))).toEqual([expect.stringMatching(new RegExp(`^worker ${hostname()} · cpu · cpu: 4 evaluation\\(s\\) · device time `))]);
  }, 600_000);

  it('refuses a worker count out of range with one line', async () => {
    const r = await nasbenchAsync(['run', 'random', '--task', 'nb201-cifar10', '--workers', '0', '--db', join(tempDir('nasbench-workers-'), 'x.db')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/workers/);
  });
});
