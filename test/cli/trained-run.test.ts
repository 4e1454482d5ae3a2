import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbenchAsync } from '../../support/cli.js';
import { writePtbFixture } from '../../support/ptb-fixture.js';
import { tempDir } from '../data/fixtures.js';

describe('a trained search from the command line', () => {
  it('reports every child and the final training as it goes, then the chosen cell and its test perplexity', async () => {
    const db = join(tempDir('nasbench-trained-'), 'runs.db');
    const r = await nasbenchAsync(['run', 'random', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--budget', '3', '--data-dir', writePtbFixture(), '--allow-unverified-data', '--db', db]);
    expect(r.status).toBe(0);
    const store = Store.open(db);
    const [run] = store.runs();
    const evaluations = store.evaluations(run!.id);
    store.close();

    // Off a terminal: one line per child with its validation perplexity and device time.
    for (const e of evaluations) {
      expect(r.stderr).toContain(`run ${run!.id} · evaluation ${e.ordinal + 1}/3 · valid_ppl ${e.value!.toFixed(2)} · `);
    }
    expect(r.stderr).toMatch(/run \d+ · final training: step 1\/\d+, loss \d+\.\d{3}/);
    // The chosen cell is the best by validation perplexity; its test perplexity is the run's result.
    const best = [...evaluations].sort((a, b) => a.value! - b.value!)[0]!;
    expect(run!.finalArch).toBe(best.arch);
    expect(r.stdout).toContain(`seed 0): test perplexity after training from scratch = ${run!.finalValue!.toFixed(2)} for ${best.arch}`);
  }, 300_000);

  it("on a terminal: each child's result above the bars, the final training its own bar with its own ETA, no NaN, 0/0 or 60s", async () => {
    const db = join(tempDir('nasbench-bars-'), 'runs.db');
    // NASBENCH_FORCE_TTY: stderr is a pipe here; nasbench draws its bars as it would on a terminal of COLUMNS columns.
    const r = await nasbenchAsync(['run', 'random', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--budget', '2', '--data-dir', writePtbFixture(), '--allow-unverified-data', '--db', db], {
      NASBENCH_FORCE_TTY: '1',
      COLUMNS: '160',
    });
    expect(r.status, r.stderr).toBe(0);
    const store = Store.open(db);
    const [run] = store.runs();
    const evaluations = store.evaluations(run!.id);
    store.close();
    for (const e of evaluations) expect(r.stderr).toContain(`run ${run!.id} · evaluation ${e.ordinal + 1}/2 · valid_ppl ${e.value!.toFixed(2)} · `);
    // The search bar shows the latest child's result; once the search is done it says so, and the final training has its own bar.
    expect(r.stderr).toMatch(/runs 0\/1 \| [█░]{20} [12]\/2 evaluations \| .* \| last valid_ppl \d+\.\d\d/);
    expect(r.stderr).toMatch(/2\/2 evaluations \| .* \| search done \|/);
    expect(r.stderr).toMatch(new RegExp(`final training, run ${run!.id} \\| [█░]{20} \\d+/\\d+ steps \\| loss \\d+\\.\\d{3} \\| eta (unknown|\\d+s|\\d+m\\d\\ds)`));
    expect(r.stderr).toContain(`run ${run!.id} (random, ptb, seed 0): test perplexity after training from scratch = ${run!.finalValue!.toFixed(2)}`);
    expect(r.stderr).not.toMatch(/NaN|Infinity|NFs|runs 0\/0|\b60s|m60s/);
    // A bar is redrawn in place, so it never wraps: cut short of the terminal's width (lines printed above the bars may wrap).
    const bars = r.stderr.split('\n').filter((line) => /[█░]/.test(line));
    expect(bars.length).toBeGreaterThan(2);
    for (const line of bars) expect(line.length).toBeLessThan(160);
  }, 300_000);

  it('takes the wasm thread count from --threads or NASBENCH_THREADS, and refuses a bad one', async () => {
    const data = writePtbFixture();
    const train = (threads: string[], env: Record<string, string> = {}) =>
      nasbenchAsync(['train', '--task', 'ptb', '--preset', 'smoke', '--backend', 'wasm', '--data-dir', data, '--allow-unverified-data', '--json', ...threads], env);
    for (const [args, env, expected] of [
      [['--threads', '1'], {}, 1],
      [[], { NASBENCH_THREADS: '2' }, 2],
    ] as const) {
      const r = await train([...args], env);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).device).toMatchObject({ backend: 'wasm', threads: expected });
    }
    const bad = await train([], { NASBENCH_THREADS: '0' });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/threads/i);
  }, 300_000);

  it('refuses a PTB copy that is not the published one (a byte-order mark) with one line, storing nothing; --allow-unverified-data runs it and records it', async () => {
    const data = writePtbFixture();
    const train = join(data, 'ptb', 'ptb.train.txt');
    writeFileSync(train, `\uFEFF${readFileSync(train, 'utf8')}`);
    const db = join(tempDir('nasbench-unverified-'), 'runs.db');
    const args = ['run', 'random', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--budget', '1', '--data-dir', data, '--no-fetch', '--db', db];
    for (const command of [args, ['train', '--task', 'ptb', '--preset', 'smoke', '--backend', 'cpu', '--data-dir', data, '--no-fetch']]) {
      const refused = await nasbenchAsync(command);
      expect(refused.status).toBe(2);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain(`${train}: sha256 `);
      expect(refused.stderr).toContain('--allow-unverified-data');
    }
    // Refused before anything is stored.
    if (existsSync(db)) {
      const empty = Store.open(db);
      expect(empty.runs()).toEqual([]);
      empty.close();
    }
    const allowed = await nasbenchAsync([...args, '--allow-unverified-data']);
    expect(allowed.status, allowed.stderr).toBe(0);
    const store = Store.open(db);
    const [run] = store.runs();
    store.close();
    expect(run!.status).toBe('completed');
    expect(run!.config).toMatchObject({
      options: { allowUnverifiedData: true },
      task: { unverifiedData: [expect.stringContaining(`${train}: sha256 `), expect.stringContaining('ptb.valid.txt: sha256 '), expect.stringContaining('ptb.test.txt: sha256 ')] },
    });
    // The files it read, by content: a report never pools this run with runs on the published PTB.
    const raw = new Database(db, { readonly: true });
    const { data_checksums: sums } = raw.prepare('SELECT data_checksums FROM experiments').get() as { data_checksums: string | null };
    raw.close();
    const sha = (file: string) => createHash('sha256').update(readFileSync(join(data, 'ptb', file))).digest('hex');
    expect(JSON.parse(sums ?? 'null')).toEqual(Object.fromEntries(['ptb.train.txt', 'ptb.valid.txt', 'ptb.test.txt'].map((f) => [`ptb/${f}`, sha(f)])));
  }, 300_000);
});
