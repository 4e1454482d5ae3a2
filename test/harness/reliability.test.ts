import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { StoreWriteError } from '../../src/errors.js';
import { resumeRuns, runExperiment } from '../../src/harness/experiment.js';
import { Store } from '../../src/store/store.js';
import { resolveDataDir, type DataDir } from '../../src/data/data-dir.js';
import { nasbench, nasbenchAsync, startNasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let dataDir: DataDir;
beforeAll(() => {
  data = writeNb201Fixture();
  dataDir = resolveDataDir(data, {});
});
const tmp = () => mkdtempSync(join(tmpdir(), 'nasbench-rel-'));
const request = (seeds: number[]) => ({ method: 'evolution', task: 'nb201-cifar10', seeds, budget: 400, params: [], dataDir });

describe('a full disk', () => {
  it('stops the run with one clear error, keeps what was committed, and resumes to the same result', async () => {
    const reference = Store.open(join(tmp(), 'ref.db'));
    await runExperiment(reference, request([1]), { commitIntervalMs: 0 });
    const expected = reference.evaluations(reference.runs()[0]!.id).map((e) => e.arch);

    const path = join(tmp(), 'full.db');
    const store = Store.open(path);
    let limited = false;
    const run = runExperiment(store, request([1]), {
      commitIntervalMs: 0,
      onEvaluation: (e) => {
        if (e.ordinal === 100 && !limited) {
          // The database may not grow any more: the next page it needs fails like a full disk.
          const pages = store.all<{ page_count: number }>('PRAGMA page_count')[0]!.page_count;
          store.all(`PRAGMA max_page_count = ${pages}`);
          limited = true;
        }
      },
    });
    const error = await run.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(StoreWriteError);
    expect((error as Error).message).toMatch(new RegExp(`^--db ${path}: cannot write \\(database or disk is full\\); everything committed before is intact`));
    store.close();

    const reopened = Store.open(path);
    expect(reopened.integrityCheck()).toBe('ok');
    const runId = reopened.runs()[0]!.id;
    const kept = reopened.evaluations(runId).length;
    expect(kept).toBeGreaterThanOrEqual(100);
    expect(kept).toBeLessThan(400);
    await resumeRuns(reopened, { runs: reopened.runs(), dataDir });
    expect(reopened.evaluations(runId).map((e) => e.arch)).toEqual(expected);
    reopened.close();
  });
});

describe('concurrent processes on one database', () => {
  const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  it('two writers both complete, and reports read meanwhile are consistent snapshots', async () => {
    const db = join(tmp(), 'shared.db');
    nasbench(['tasks', '--db', db]); // nothing written; the writers below race to create and migrate it
    const writer = (method: string) =>
      startNasbench(['run', method, '--task', 'nb201-cifar10', '--seeds', '4', '--budget', '3000', '--db', db, '--data-dir', data, '--quiet']);
    const writers = [writer('random'), writer('evolution')];
    const done = Promise.all(writers.map(exited));
    let finished = false;
    void done.then(() => (finished = true));
    let reads = 0;
    while (!finished) {
      const r = await nasbenchAsync(['report', '--db', db, '--json']);
      if (r.status === 0 && r.stdout.trim().startsWith('[')) {
        for (const row of JSON.parse(r.stdout) as { runs: number; completed: number; budget: number; evaluationsUsed: number }[]) {
          expect(row.completed).toBeLessThanOrEqual(row.runs);
          expect(row.evaluationsUsed).toBeLessThanOrEqual(row.runs * row.budget);
          expect(row.evaluationsUsed).toBeGreaterThanOrEqual(row.completed * row.budget);
        }
        reads++;
      }
    }
    expect(await done).toEqual([0, 0]);
    expect(reads).toBeGreaterThan(0);
    const store = Store.open(db);
    const runs = store.runs();
    expect(runs.filter((r) => r.method === 'random')).toHaveLength(4);
    expect(runs.filter((r) => r.method === 'evolution')).toHaveLength(4);
    expect(runs.every((r) => r.status === 'completed' && r.evaluations === 3000)).toBe(true);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  }, 180_000);
});
