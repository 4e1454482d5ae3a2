import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

describe('supernet device time in the CLI', () => {
  it('show and report count it with the run’s device time', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'nasbench-cli-supernet-')), 'runs.db');
    const run = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--seeds', '2', '--budget', '5', '--db', db, '--data-dir', writeNb201Fixture(), '--json']);
    expect(run.status).toBe(0);
    const runId: number = JSON.parse(run.stdout).runs[0].runId;
    // As the harness charges it: work at two points of the search, on the CPU.
    const store = Store.open(db);
    const before = store.getRun(runId)!.deviceSeconds;
    store.commitProgress(runId, [], undefined, [
      { evaluationsSeen: 0, deviceKind: 'cpu', seconds: 1800, trainSteps: 300, scoreBatches: 40 },
      { evaluationsSeen: 3, deviceKind: 'cpu', seconds: 1800, trainSteps: 300, scoreBatches: 20 },
    ]);
    store.close();

    const show = nasbench(['show', String(runId), '--db', db]);
    expect(show.status).toBe(0);
    expect(show.stdout).toContain('supernet: 600 training steps · 60 validation batches scored · device time 60.0 min (cpu, included above)');
    const json = JSON.parse(nasbench(['show', String(runId), '--db', db, '--json']).stdout);
    expect(json.run.supernetSeconds).toBe(3600);
    expect(json.run.deviceSeconds).toBeCloseTo(before + 3600, 9);

    const [row] = JSON.parse(nasbench(['report', '--db', db, '--json']).stdout);
    expect(row.supernetSeconds).toEqual({ cpu: 3600 });
    expect(row.searchSeconds.cpu).toBe(3600);
    expect(row.searchSeconds.none).toBeGreaterThan(0);
    // The leaderboard's device time per run: one hour over two runs.
    const table = nasbench(['report', '--db', db, '--format', 'markdown']).stdout;
    expect(table).toContain('0.50 CPU-hours + no device (table lookup');
  });
});
