/**
 * Experiment files (`run --config`), `--seed`, and their one-line refusals: a file or flag that
 * cannot be used is one line naming it and the key, exit code 2, and no database is created.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../src/cli/experiment-file.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';

let data: string;
let dir: string;
beforeAll(() => {
  data = writeNb201Fixture();
  dir = mkdtempSync(join(tmpdir(), 'nasbench-experiment-file-'));
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('parseExperiment', () => {
  it('reads methods with params, tasks, seeds in every form, and execution settings', () => {
    const yaml = `methods:\n  - random\n  - name: evolution\n    params: { population: 20, sample_size: 5 }\n  - ./mine.ts\ntasks: [nb201-cifar10, nb201-cifar100]\nseeds: 3\nbudget: 150\nworkers: 2\npreset: tiny\n`;
    const e = parseExperiment(yaml, '/exp/dir/experiment.yaml', 'yaml');
    expect(e.methods).toEqual([
      { method: 'random', params: [] },
      { method: 'evolution', params: ['population=20', 'sample_size=5'] },
      { method: '/exp/dir/mine.ts', params: [] },
    ]);
    expect(e).toMatchObject({ tasks: ['nb201-cifar10', 'nb201-cifar100'], seeds: [0, 1, 2], budget: 150, workers: 2, preset: 'tiny' });
    expect(parseExperiment('{"method": "random", "params": {"max_tries": 9}, "task": "t", "seeds": [7]}', 'e.json', 'json')).toMatchObject({ methods: [{ method: 'random', params: ['max_tries=9'] }], seeds: [7] });
    expect(parseExperiment('method: random\ntask: t\nseeds: "10..12"\n', 'e.yaml', 'yaml').seeds).toEqual([10, 11, 12]);
    expect(parseExperiment('method: random\ntask: t\nseed: 7\n', 'e.yaml', 'yaml').seeds).toEqual([7]);
  });

  it('names the key of every problem', () => {
    const bad = (text: string, format: 'json' | 'yaml' = 'yaml') => () => parseExperiment(text, 'e.yaml', format);
    expect(bad('method: random\nbudgt: 3\n')).toThrow("--config e.yaml: unknown key 'budgt' (did you mean 'budget'?): expected method, methods,");
    expect(bad('method: random\nbudget: 0\n')).toThrow('--config e.yaml: budget: expected evaluations per run, an integer ≥ 1, got 0');
    expect(bad('method: random\nseeds: [1, x]\n')).toThrow('--config e.yaml: seeds: expected a count N');
    expect(bad('methods:\n  - name: evolution\n    parms: {}\n')).toThrow('--config e.yaml: methods[0].parms: unknown key; expected name and params');
    expect(bad('methods: [random]\nparams: { a: 1 }\n')).toThrow('--config e.yaml: params: belongs with method:');
    expect(bad('method: random\nseed: 1\nseeds: 2\n')).toThrow('--config e.yaml: both seed and seeds: expected one of them');
    expect(bad('methods: [random\ntask: x\n')).toThrow(/--config e\.yaml: not valid YAML at line 2, column 1 \(/);
    expect(bad('{"method": ', 'json')).toThrow(/--config e\.yaml: not valid JSON/);
    expect(bad('- random\n')).toThrow('--config e.yaml: expected a mapping of settings');
  });
});

describe('nasbench run --config and --seed', () => {
  it('runs every method of the file; flags override the file', () => {
    const exp = file('exp.yaml', 'methods:\n  - random\n  - name: evolution\n    params: { population: 3 }\ntask: nb201-cifar10\nseeds: 2\nbudget: 6\n');
    const db = join(dir, 'runs.db');
    const r = nasbench(['run', '--config', exp, '--budget', '4', '--db', db, '--data-dir', data, '--quiet', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const experiments = JSON.parse(r.stdout) as { runs: unknown[]; leaderboard: { method: string; budget: number }[] }[];
    expect(experiments).toHaveLength(2);
    expect(experiments.map((e) => e.runs.length)).toEqual([2, 2]);
    expect(experiments.map((e) => [e.leaderboard[0]!.method, e.leaderboard[0]!.budget])).toEqual([['random', 4], ['evolution', 4]]);
    const one = nasbench(['run', '--config', exp, 'random', '--seed', '7', '--db', db, '--data-dir', data, '--quiet']);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/run \d+ \(random, nb201-cifar10, seed 7\)/);
    expect(one.stdout).not.toMatch(/evolution|seed 0/);
    // nasbench experiments lists the three, newest first.
    const listed = nasbench(['experiments', '--db', db, '--json']);
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { method: string; seeds: string; status: string }[]).map((e) => [e.method, e.seeds, e.status])).toEqual([
      ['random', '7', '1 completed'],
      ['evolution', '0–1', '2 completed'],
      ['random', '0–1', '2 completed'],
    ]);
  });

  it('refuses a bad file or seed in one line, exit code 2, creating no database', () => {
    const db = join(dir, 'never.db');
    const cases: [string[], RegExp][] = [
      [['--config', file('typo.yaml', 'method: random\ntask: nb201-cifar10\nbudgt: 3\n')], /^Error: --config .*typo\.yaml: unknown key 'budgt' \(did you mean 'budget'\?\)/],
      [['--config', file('task.yaml', 'method: random\ntask: nb201-cifar1\n')], /^Error: --config .*task\.yaml: task: unknown task 'nb201-cifar1' \(did you mean 'nb201-cifar10'\?\)/],
      [['--config', join(dir, 'missing.yaml')], /^Error: --config .*missing\.yaml: cannot read it/],
      [['random', '--task', 'nb201-cifar10', '--seed', '7', '--seeds', '3'], /^Error: --seed 7 and --seeds 3: expected one of them/],
      [['rando', '--task', 'nb201-cifar10'], /^Error: unknown method 'rando' \(did you mean 'random'\?\)/],
      // A bad entry after a good one: the good one does not run first.
      [
        ['--config', file('late.yaml', 'methods:\n  - random\n  - name: nao\n    params: { config: paper, epochs: 20 }\ntask: nb201-cifar10\nbudget: 3\n')],
        /^Error: --config .*late\.yaml: method nao on nb201-cifar10: --param \(nao\): config=paper fixes epochs=1000: drop --param epochs, or use config=scaled$/m,
      ],
      [
        ['--config', file('late-param.yaml', 'methods:\n  - random\n  - name: evolution\n    params: { population: 1 }\ntask: nb201-cifar10\nbudget: 3\n')],
        /^Error: --config .*late-param\.yaml: method evolution on nb201-cifar10: --param population=1: 'population' of evolution expects an integer ≥ 2, got '1'$/m,
      ],
    ];
    for (const [args, message] of cases) {
      const r = nasbench(['run', ...args, '--db', db, '--data-dir', data]);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(db)).toBe(false);
  });
});

describe('help and typos', () => {
  it('-h is --help; a mistyped command is one line with the nearest command, exit code 2', () => {
    const help = nasbench(['experiments', '-h']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^USAGE\n {2}\$ nasbench experiments/m);
    const typo = nasbench(['experiment']);
    expect(typo.status).toBe(2);
    expect(typo.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(typo.stderr).toMatch(/^Error: unknown command 'experiment' \(did you mean 'experiments'\?\): expected one of /);
  });
});
