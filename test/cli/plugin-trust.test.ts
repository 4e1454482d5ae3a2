import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { ROOT, nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let work: string;
beforeAll(() => {
  data = writeNb201Fixture();
  work = mkdtempSync(join(tmpdir(), 'nasbench-trust-'));
});

/** A plugin with no imports; loading it leaves `marker` behind, so a test can tell whether it ran. */
function pluginFile(dir: string, marker: string, file = 'walker.js'): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(
    path,
    `import { writeFileSync } from 'node:fs';
writeFileSync(${JSON.stringify(marker)}, 'loaded');
export default {
  name: 'walker',
  description: 'samples at random',
  spaces: ['nb201'],
  params: {},
  create(ctx) {
    return { propose: () => [ctx.space.sample(ctx.rng)], observe() {}, snapshot: () => null, restore() {} };
  },
};
`,
  );
  return path;
}

/** A database whose only run (of `plugin`) was interrupted, as a resume finds it. */
function interruptedRun(name: string, plugin: string): string {
  const db = join(work, name);
  expect(nasbench(['run', plugin, '--task', 'nb201-cifar10', '--budget', '8', '--db', db, '--data-dir', data, '--quiet']).status).toBe(0);
  const sql = new Database(db);
  sql.prepare("UPDATE runs SET status = 'interrupted', final_value = NULL").run();
  sql.close();
  return db;
}

function statuses(db: string): string[] {
  const store = Store.open(db);
  const out = store.runs().map((r) => r.status);
  store.close();
  return out;
}

function expectUserError(r: { status: number | null; stderr: string }, message: RegExp) {
  expect(r.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(message)]);
  expect(r.status).toBe(2);
}

describe('resume loads only code the user names', () => {
  it('a plugin file is loaded again only when named with --method or allowed with --trust-stored-plugin', () => {
    const marker = join(work, 'file-loaded');
    const plugin = pluginFile(join(work, 'plugins'), marker);
    const db = interruptedRun('file.db', plugin);
    const resume = ['resume', '--experiment', '1', '--db', db, '--data-dir', data, '--quiet'];
    // The run loaded the file; empty the marker, then resume without naming the file: nothing is loaded.
    writeFileSync(marker, '');
    const refused = nasbench(resume);
    expectUserError(
      refused,
      new RegExp(
        `^Error: run 1 was started with the plugin file ${plugin}; resume loads it only when it is named again \\(--method ${plugin}\\) or with --trust-stored-plugin$`,
      ),
    );
    expect(statuses(db)).toEqual(['interrupted']);
    expect(readFileSync(marker, 'utf8')).toBe('');
    // Another file does not stand in for it.
    const other = pluginFile(join(work, 'elsewhere'), join(work, 'other-loaded'));
    expectUserError(nasbench([...resume, '--method', other]), /^Error: run 1 was started with the plugin file /);
    expect(existsSync(join(work, 'other-loaded'))).toBe(false);
    // Named again (relative to the current directory, as `run` takes it): resumed.
    const named = nasbench([...resume, '--method', relative(ROOT, plugin)]);
    expect(named.stderr).toBe('');
    expect(named.status).toBe(0);
    expect(statuses(db)).toEqual(['completed']);
  });

  it('--trust-stored-plugin loads what the database names', () => {
    const plugin = pluginFile(join(work, 'trusted'), join(work, 'trusted-loaded'));
    const db = interruptedRun('trusted.db', plugin);
    const r = nasbench(['resume', '--all', '--trust-stored-plugin', '--db', db, '--data-dir', data, '--quiet']);
    expect(r.status).toBe(0);
    expect(statuses(db)).toEqual(['completed']);
  });

  it('a built-in name must be one of the installed built-ins: no path escapes the methods folder', () => {
    const marker = join(work, 'escape-loaded');
    const evil = join(work, 'evil');
    pluginFile(evil, marker, 'index.js');
    const db = interruptedRun('escape.db', 'random');
    const name = relative(join(ROOT, 'dist', 'methods'), evil);
    expect(name.startsWith('..')).toBe(true);
    const sql = new Database(db);
    sql.prepare('UPDATE experiments SET method_source = ?').run(`builtin:${name}`);
    sql.close();
    for (const flags of [[], ['--trust-stored-plugin']]) {
      expectUserError(
        nasbench(['resume', '--all', ...flags, '--db', db, '--data-dir', data]),
        new RegExp(`^Error: run 1 names the built-in method '${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}', which is not installed: expected one of .*random`),
      );
      expect(existsSync(marker)).toBe(false);
      expect(statuses(db)).toEqual(['interrupted']);
    }
  });
});

describe('plugin loading is time-boxed', () => {
  it('a top-level await that never settles is one line naming the file, exit code 2', () => {
    const file = join(work, 'hang.js');
    writeFileSync(file, 'await new Promise(() => {});\nexport default {};\n');
    const db = join(work, 'hang.db');
    const r = nasbench(['run', file, '--task', 'nb201-cifar10', '--db', db, '--data-dir', data], { NASBENCH_PLUGIN_LOAD_TIMEOUT: '0.5' });
    expectUserError(r, new RegExp(`^Error: ${file} did not finish loading within 0.5 s \\(a top-level await that never settles\\?\\); NASBENCH_PLUGIN_LOAD_TIMEOUT sets the limit in seconds$`));
    if (existsSync(db)) {
      const store = Store.open(db);
      expect(store.runs()).toEqual([]);
      store.close();
    }
  });

  it('a bad NASBENCH_PLUGIN_LOAD_TIMEOUT is refused', () => {
    expectUserError(
      nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', join(work, 't.db'), '--data-dir', data], { NASBENCH_PLUGIN_LOAD_TIMEOUT: 'soon' }),
      /^Error: NASBENCH_PLUGIN_LOAD_TIMEOUT=soon: expected a number of seconds > 0$/,
    );
  });
});
