import Database from 'better-sqlite3';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { loadFidelityTable } from '../../src/cli/fidelity-table.js';
import { describeTau } from '../../src/report/preset-fidelity.js';
import { ROOT, nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let work: string;
beforeAll(() => {
  data = writeNb201Fixture();
  work = mkdtempSync(join(tmpdir(), 'nasbench-cli-'));
});
const db = (name: string) => join(work, name);

/** A bad input: exit code 2, exactly one line on stderr, saying what it should. */
function expectUserError(r: { status: number | null; stderr: string }, message: string | RegExp) {
  expect(r.status).toBe(2);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(typeof message === 'string' ? new RegExp(`^Error: ${message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) : message);
}

describe('nasbench CLI', () => {
  it('runs, reports and shows, with --json where scripts need it', () => {
    const run = nasbench(['run', 'evolution', '--task', 'nb201-cifar10', '--seeds', '4', '--budget', '40', '--db', db('a.db'), '--data-dir', data, '--json']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out.runs).toHaveLength(4);
    expect(out.runs.every((r: { result: { status: string } }) => r.result.status === 'completed')).toBe(true);
    const report = nasbench(['report', '--task', 'nb201-cifar10', '--db', db('a.db'), '--json']);
    const [row] = JSON.parse(report.stdout);
    expect(row).toMatchObject({ method: 'evolution', runs: 4, completed: 4, budget: 40, evaluationsUsed: 160 });
    const store = Store.open(db('a.db'));
    const finals = store.runs().map((r) => r.finalValue as number);
    store.close();
    expect(row.final.mean).toBeCloseTo(finals.reduce((a, b) => a + b) / 4, 10);
    expect(row.best).toBe(Math.max(...finals));
    const text = nasbench(['report', '--db', db('a.db')]).stdout;
    expect(text).toContain('evolution');
    expect(text).toContain(`${row.final.mean.toFixed(2)} ± ${row.final.std.toFixed(2)}`);
    const show = nasbench(['show', String(out.runs[0].runId), '--db', db('a.db')]);
    expect(show.status).toBe(0);
    expect(show.stdout).toMatch(/evaluations 40\/40/);
    expect(show.stdout).toMatch(/result: test accuracy after 200 epochs \(%\) = \d+\.\d\d for \|/);
  });

  it('lists methods with hyper-parameters and tasks with data presence', () => {
    const methods = JSON.parse(nasbench(['methods', '--json']).stdout);
    const evolution = methods.find((m: { name: string }) => m.name === 'evolution');
    expect(evolution.params.map((p: { name: string; default: number }) => [p.name, p.default])).toEqual([['population', 10], ['sample_size', 3]]);
    const tasks = JSON.parse(nasbench(['tasks', '--json', '--data-dir', data]).stdout);
    expect(tasks.tasks.find((t: { name: string }) => t.name === 'nb201-cifar10').dataPresent).toBe(true);
    const empty = JSON.parse(nasbench(['tasks', '--json', '--data-dir', work]).stdout);
    expect(empty.tasks[0].dataPresent).toBe(false);
    expect(empty.tasks[0].missing[0]).toBe(join(work, 'nas-bench-201', 'nb201_minibench_accs.jsonl'));
  });

  it('tasks shows each trained preset’s measured τ from the committed results, or "not measured"', () => {
    const measured = loadFidelityTable();
    const listing = JSON.parse(nasbench(['tasks', '--json', '--data-dir', data]).stdout);
    const ptb = listing.tasks.find((t: { name: string }) => t.name === 'ptb');
    expect(Object.keys(ptb.fidelity)).toEqual(['smoke', 'tiny', 'paper']);
    for (const preset of ['smoke', 'tiny', 'paper']) expect(ptb.fidelity[preset]).toEqual(measured.ptb?.[preset] ?? null);
    expect(listing.tasks.find((t: { name: string }) => t.name === 'nb201-cifar10').fidelity).toBeNull();
    const text = nasbench(['tasks', '--data-dir', data]).stdout;
    expect(text).toContain(`paper: ${describeTau(null)}`);
    expect(text).toContain(`smoke: ${describeTau(measured.ptb?.smoke ?? null)}`);
  });

  it('every command has --help with an example', () => {
    for (const command of ['run', 'resume', 'report', 'methods', 'tasks', 'show']) {
      const help = nasbench([command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/EXAMPLES/);
    }
  });

  describe('bad input: one clear line, exit code 2, database intact', () => {
    const common = (args: string[]) => ['--db', db('bad.db'), ...(args[0] === 'show' ? [] : ['--data-dir', data])];
    it.each([
      [['run', 'nope', '--task', 'nb201-cifar10'], /^Error: unknown method 'nope': expected one of (.*, )?evolution, (.*, )?random, an installed nasbench-method-\* package, or a path to a plugin file/],
      [['run', 'random', '--task', 'nb201-mnist'], "unknown task 'nb201-mnist': expected one of nb201-cifar10, nb201-cifar100, nb201-imagenet16"],
      [['run', 'random'], '--task is required: one of nb201-cifar10'],
      [['run', 'random', '--task', 'nb201-cifar10', '--seeds', '1,x'], '--seeds "1,x": expected a count N'],
      [['run', 'evolution', '--task', 'nb201-cifar10', '--param', 'population=big'], "--param population=big: 'population' of evolution expects an integer ≥ 2, got 'big'"],
      [['run', 'evolution', '--task', 'nb201-cifar10', '--param', 'pop=3'], "--param pop=3: evolution has no parameter 'pop'; expected one of population, sample_size"],
      // A parameter another one fixes: refused by the method before anything is stored.
      [['run', 'nao', '--task', 'nb201-cifar10', '--param', 'config=paper', '--param', 'epochs=20'], '--param (nao): config=paper fixes epochs=1000: drop --param epochs, or use config=scaled'],
      [['run', 'random', '--task', 'nb201-cifar10', '--preset', 'tiny'], '--preset tiny: task nb201-cifar10 is a table lookup and has no presets'],
      [['run', './missing-plugin.js', '--task', 'nb201-cifar10'], `method file not found: ${join(ROOT, 'missing-plugin.js')}`],
      [['resume', '42'], `run 42 is not in ${join(tmpdir(), 'x')}`.replace(join(tmpdir(), 'x'), '')],
      [['show', '7'], 'run 7 is not in'],
    ])('%j', (args, message) => {
      expectUserError(nasbench([...args, ...common(args)]), message);
      // Refused before anything is stored (the file itself may have been opened, empty).
      if (existsSync(db('bad.db'))) {
        const stored = new Database(db('bad.db'), { readonly: true });
        try {
          expect(stored.prepare('SELECT count(*) AS n FROM experiments').get()).toEqual({ n: 0 });
        } finally {
          stored.close();
        }
      }
    });

    it('a missing table: where it looked and how to provide it', () => {
      expectUserError(
        nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', db('bad.db'), '--data-dir', work]),
        `NAS-Bench-201 table not found: ${join(work, 'nas-bench-201', 'nb201_minibench_accs.jsonl')}; looked in the data directory ${work} (from --data-dir)`,
      );
    });

    it('a corrupt table row: file, line and what was expected', () => {
      const corrupt = writeNb201Fixture({ corruptCsv: { row: 99, text: `x,1,2,|nor_conv_3x3~0|,y` } });
      expectUserError(
        nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', db('bad.db'), '--data-dir', corrupt]),
        /^Error: .*nats_bench\.csv line 101, column 4 \(ArchitectureString\): invalid nb201 architecture "\|nor_conv_3x3~0\|": expected 3 groups/,
      );
    });

    it('a --db that is not SQLite is refused and left as it was', () => {
      const notes = db('notes.txt');
      writeFileSync(notes, 'lab notes\n'.repeat(500));
      const before = readFileSync(notes);
      expectUserError(nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', notes, '--data-dir', data]), `--db ${notes}: not a nasbench database`);
      expectUserError(nasbench(['report', '--db', notes]), `--db ${notes}: not a nasbench database`);
      expect(readFileSync(notes).equals(before)).toBe(true);
    });

    it('bad input leaves earlier results untouched', () => {
      nasbench(['run', 'random', '--task', 'nb201-cifar10', '--budget', '10', '--db', db('keep.db'), '--data-dir', data]);
      const before = JSON.parse(nasbench(['report', '--db', db('keep.db'), '--json']).stdout);
      nasbench(['run', 'nope', '--task', 'nb201-cifar10', '--db', db('keep.db'), '--data-dir', data]);
      nasbench(['run', 'random', '--task', 'nb201-cifar10', '--db', db('keep.db'), '--data-dir', work]);
      expect(JSON.parse(nasbench(['report', '--db', db('keep.db'), '--json']).stdout)).toEqual(before);
      const store = Store.open(db('keep.db'));
      expect(store.runs()).toHaveLength(1);
      expect(store.integrityCheck()).toBe('ok');
      store.close();
    });
  });
});

describe('third-party plugins', () => {
  const PLUGIN = `import { definePlugin } from 'nasbench/api';
// Hill climbing: mutate the best architecture seen so far.
export default definePlugin({
  name: 'hill-climb',
  description: 'Mutates the best architecture seen so far',
  spaces: ['nb201'],
  params: { restarts: { type: 'int', default: 1, min: 1, doc: 'random starts' } },
  create(ctx) {
    let best = null;
    return {
      propose: () => [best === null ? ctx.space.sample(ctx.rng) : ctx.space.mutate(ctx.space.parse(best.arch), ctx.rng)],
      observe(results) {
        for (const r of results) if (r.score !== null && (best === null || r.score > best.score)) best = { arch: ctx.space.format(r.arch), score: r.score };
      },
      snapshot: () => best,
      restore(state) { best = state; },
    };
  },
});
`;

  it('a plugin file written against nasbench/api runs by path (JavaScript and TypeScript)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasbench-plugin-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'nasbench'), 'dir');
    writeFileSync(join(dir, 'hill-climb.js'), PLUGIN);
    writeFileSync(
      join(dir, 'hill-climb-ts.ts'),
      PLUGIN.replace("import { definePlugin } from 'nasbench/api';", "import { definePlugin, type Json } from 'nasbench/api';")
        .replace('let best = null;', 'let best: { arch: string; score: number } | null = null;')
        .replace('snapshot: () => best,', 'snapshot: (): Json => best,')
        .replace('restore(state) { best = state; }', 'restore(state) { best = state as typeof best; }')
        .replace("name: 'hill-climb'", "name: 'hill-climb-ts'"),
    );
    for (const file of ['hill-climb.js', 'hill-climb-ts.ts']) {
      const r = nasbench(['run', join(dir, file), '--task', 'nb201-cifar10', '--seeds', '2', '--budget', '30', '--db', db('plugin.db'), '--data-dir', data, '--json', '--param', 'restarts=2']);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).runs.map((x: { result: { status: string } }) => x.result.status)).toEqual(['completed', 'completed']);
    }
    const methods = JSON.parse(nasbench(['report', '--db', db('plugin.db'), '--json']).stdout).map((r: { method: string }) => r.method);
    expect(methods.sort()).toEqual(['hill-climb', 'hill-climb-ts']);
  });

  describe('an installed nasbench-method-* package', () => {
    const pkg = join(ROOT, 'node_modules', 'nasbench-method-zz-hill-climb');
    beforeAll(() => {
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'nasbench-method-zz-hill-climb', version: '1.0.0', type: 'module', main: 'index.js' }));
      writeFileSync(join(pkg, 'index.js'), PLUGIN.replace("name: 'hill-climb'", "name: 'zz-hill-climb'"));
      // As installed in a user's project, the plugin resolves its peer dependency nasbench.
      mkdirSync(join(pkg, 'node_modules'));
      symlinkSync(ROOT, join(pkg, 'node_modules', 'nasbench'), 'dir');
    });
    afterAll(() => rmSync(pkg, { recursive: true, force: true }));

    it('is discovered, listed and run by name', () => {
      const listing = nasbench(['methods', '--json']);
      expect(listing.stderr).toBe('');
      const methods = JSON.parse(listing.stdout);
      expect(methods.find((m: { name: string }) => m.name === 'zz-hill-climb')?.source).toBe('npm:nasbench-method-zz-hill-climb');
      const r = nasbench(['run', 'zz-hill-climb', '--task', 'nb201-cifar10', '--budget', '20', '--db', db('npm.db'), '--data-dir', data, '--json']);
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout).runs[0].result.status).toBe('completed');
    });

    it('is never loaded from the current directory unless named', () => {
      const cwd = mkdtempSync(join(tmpdir(), 'nasbench-cwd-'));
      mkdirSync(join(cwd, 'node_modules', 'nasbench-method-sneaky'), { recursive: true });
      writeFileSync(join(cwd, 'node_modules', 'nasbench-method-sneaky', 'package.json'), JSON.stringify({ name: 'nasbench-method-sneaky', main: 'index.js' }));
      writeFileSync(join(cwd, 'node_modules', 'nasbench-method-sneaky', 'index.js'), "throw new Error('must not be loaded')");
      const methods = JSON.parse(nasbench(['methods', '--json'], {}, cwd).stdout);
      expect(methods.map((m: { name: string }) => m.name)).not.toContain('sneaky');
    });
  });
});
