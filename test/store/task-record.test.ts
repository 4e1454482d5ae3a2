import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../../src/api/task-record.js';
import { openStore } from '../../src/harness/open-store.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/schema.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

/**
 * A store exactly as nasbench wrote it before task records (schema version 3): the task is a
 * name, the preset and the child's shape live somewhere in the configuration.
 */
function schema3Store(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nasbench-record-')), 'old.db');
  const db = new Database(path);
  db.exec(MIGRATIONS.slice(0, 3).join('\n'));
  db.pragma('user_version = 3');
  const experiment = db.prepare('INSERT INTO experiments (method, method_source, task, budget, params, config, code_version) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const run = db.prepare(
    `INSERT INTO runs (experiment_id, seed, status, final_arch, final_value, final_metrics, final_device_seconds) VALUES (?, ?, 'completed', 'a', ?, ?, 0)`,
  );
  const table = { table: 'NAS-Bench-201: 12-epoch valid (minibench), 200-epoch test (NATS-Bench)' };
  experiment.run('random', 'builtin:random', 'nb201-cifar10', 3, '{}', JSON.stringify({ seeds: [0], options: { fetch: true, backend: 'auto' }, task: table }), 'old');
  run.run(1, 0, 93.5, JSON.stringify({ test_acc: 93.5 }));
  const image = { preset: 'tiny', search: { B: 5, N: 1, F: 8, ops: 5 }, final: { B: 5, N: 2, F: 16, ops: 5 }, engine: { backend: 'wasm' } };
  experiment.run('nao', 'builtin:nao', 'fashion-mnist', 4, '{}', JSON.stringify({ options: { fetch: true, backend: 'wasm', threads: 1 }, task: image }), 'old');
  run.run(2, 0, 12.5, JSON.stringify({ test_error: 12.5, test_acc: 87.5, params: 9000 }));
  // A task this nasbench does not know (written by another version): only its runs' metrics say what it was.
  experiment.run('random', 'builtin:random', 'mystery-lm', 2, '{}', JSON.stringify({ options: { preset: 'huge' } }), 'other');
  run.run(3, 0, 80.25, JSON.stringify({ test_ppl: 80.25 }));
  db.close();
  return path;
}

describe('the stored task record', () => {
  it('is derived once for experiments stored before it, from the registry or from what their runs recorded', () => {
    const path = schema3Store();
    const store = openStore(path);
    expect(store.schemaVersion()).toBe(SCHEMA_VERSION);
    const [nb201, image, unknown] = [1, 2, 3].map((id) => store.getRun(id)!.taskRecord) as [TaskRecord, TaskRecord, TaskRecord];
    expect(nb201).toMatchObject({
      name: 'nb201-cifar10',
      kind: 'tabular',
      space: 'nb201',
      objective: { metric: 'valid_acc', goal: 'max', label: 'validation accuracy after 12 epochs (%)' },
      result: { metric: 'test_acc', goal: 'max', label: 'test accuracy after 200 epochs (%)' },
      preset: null,
      child: null,
      // Before task records, a method's own models on a table lookup ran on the cpu backend.
      engine: { backend: 'cpu', threads: null },
    });
    expect(image).toMatchObject({ kind: 'image', space: 'cnn-micro', preset: 'tiny', child: { B: 5, N: 2, F: 16, ops: 5 }, engine: { backend: 'wasm', threads: 1 } });
    expect(image.result.metric).toBe('test_error');
    expect(unknown).toMatchObject({ name: 'mystery-lm', kind: 'text', preset: 'huge', result: { metric: 'test_ppl', goal: 'min' } });
    store.close();
    // Stored, not derived again: a second open finds nothing to do and reads the same records.
    const again = openStore(path);
    expect(again.getRun(2)!.taskRecord).toEqual(image);
    again.close();
  });

  it('is what show and report read: an old store still reports, and show works for a task this build does not know', () => {
    const path = schema3Store();
    const shown = nasbench(['show', '3', '--db', path]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('random on mystery-lm');
    expect(shown.stdout).toContain('result: test perplexity = 80.25');
    const report = nasbench(['report', '--db', path, '--format', 'json']);
    expect(report.status, report.stderr).toBe(0);
    const rows = JSON.parse(report.stdout).leaderboard as { task: string; metric: string; child: unknown }[];
    expect(rows.map((r) => [r.task, r.metric])).toEqual([
      ['fashion-mnist', 'test error (%) after training from scratch'],
      ['mystery-lm', 'test perplexity'],
      ['nb201-cifar10', 'test accuracy after 200 epochs (%)'],
    ]);
    expect(rows[0]!.child).toEqual({ B: 5, N: 2, F: 16, ops: 5 });
  });

  it('is stored with every new experiment as the task was opened', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'nasbench-record-')), 'new.db');
    const run = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--budget', '3', '--db', db, '--data-dir', writeNb201Fixture(), '--threads', '1', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const store = openStore(db);
    expect(store.getRun(1)!.taskRecord).toMatchObject({ name: 'nb201-cifar10', kind: 'tabular', preset: null, engine: { backend: 'cpu', threads: 1 } });
    store.close();
  });
});
