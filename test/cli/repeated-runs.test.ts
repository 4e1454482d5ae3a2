/** The same command run twice: its seeds are not pooled as if they were new ones. */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

describe('running the same experiment twice', () => {
  it('reports each seed once and records the plugin code and the data files it ran with', () => {
    const data = writeNb201Fixture();
    const db = join(mkdtempSync(join(tmpdir(), 'nasbench-repeat-')), 'runs.db');
    for (let i = 0; i < 2; i++) {
      const r = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--seeds', '3', '--budget', '5', '--db', db, '--data-dir', data, '--quiet']);
      expect(r.status, r.stderr).toBe(0);
    }
    const [row, ...others] = JSON.parse(nasbench(['report', '--db', db, '--json']).stdout);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ method: 'random', runs: 3, completed: 3, evaluationsUsed: 15 });
    expect(row.leftOut).toEqual([1, 2, 3].map((runId, seed) => ({ runId, seed, reason: 'repeated' })));
    const table = nasbench(['report', '--db', db]).stdout;
    expect(table).toContain('Distinct seeds');
    expect(table).toContain('left out runs 1, 2, 3 (seeds 0, 1, 2 again)');

    const raw = new Database(db, { readonly: true });
    const experiments = raw.prepare('SELECT plugin_hash, data_checksums FROM experiments ORDER BY id').all() as { plugin_hash: string; data_checksums: string }[];
    raw.close();
    expect(experiments[0]!.plugin_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(experiments[1]!.plugin_hash).toBe(experiments[0]!.plugin_hash);
    const sha = (file: string) => createHash('sha256').update(readFileSync(join(data, file))).digest('hex');
    expect(JSON.parse(experiments[0]!.data_checksums)).toEqual({
      'nas-bench-201/nb201_minibench_accs.jsonl': sha('nas-bench-201/nb201_minibench_accs.jsonl'),
      'nas-bench-201/nats_bench.csv': sha('nas-bench-201/nats_bench.csv'),
    });
  });
});
