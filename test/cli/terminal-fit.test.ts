/**
 * Output that fits the terminal: on a terminal (NASBENCH_FORCE_TTY=1 stands in for one here, with
 * COLUMNS its width) every table-printing command fits the width, --wide prints full width, and off
 * a terminal the output is full width as scripts expect. Help text reflows at the width.
 */
import { join } from 'node:path';
import { Config } from '@oclif/core';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, nasbench } from '../../support/cli.js';
import { writeComparisonStore } from '../helpers/comparison-store.js';

let data: string;
let db: string;
let work: string;
const widest = (text: string) => Math.max(0, ...text.split('\n').map((l) => stringWidth(l)));
const terminal = (columns: number) => ({ NASBENCH_FORCE_TTY: '1', COLUMNS: String(columns) });

beforeAll(() => {
  ({ data, work, db } = writeComparisonStore('nasbench-fit-', 20));
}, 120_000);

const commands: Record<string, () => string[]> = {
  tasks: () => ['tasks', '--data-dir', data],
  methods: () => ['methods'],
  show: () => ['show', '1', '--db', db],
  report: () => ['report', '--db', db],
  experiments: () => ['experiments', '--db', db],
  'data list': () => ['data', 'list', '--data-dir', data],
};

describe('tables fit the terminal', () => {
  for (const [name, args] of Object.entries(commands)) {
    it(`${name}: no line wider than 80 or 100 columns on a terminal; --wide and a pipe give the full width`, () => {
      const full = nasbench(args());
      expect(full.status, full.stderr).toBe(0);
      for (const columns of [80, 100]) {
        const fitted = nasbench(args(), terminal(columns));
        expect(fitted.status, fitted.stderr).toBe(0);
        expect(widest(fitted.stdout), fitted.stdout).toBeLessThanOrEqual(columns);
      }
      // --wide on a terminal is exactly what a file or pipe gets.
      const wide = nasbench([...args(), '--wide'], terminal(80));
      const undated = (text: string) => text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/g, '<date>');
      expect(undated(wide.stdout)).toBe(undated(full.stdout));
    });
  }

  it('off a terminal the tables are full width, as before (scripts rely on it)', () => {
    for (const name of ['tasks', 'methods', 'show', 'report'] as const) expect(widest(nasbench(commands[name]!()).stdout), name).toBeGreaterThan(100);
    const report = nasbench(commands.report!()).stdout;
    expect(report).toMatch(/│ Task +│ Method +│ Distinct seeds +│ Budget +│ Evals\/run +│ Device-hours\/run +│ Searcher CPU\/run +│ Final mean ± std +│ 95 % CI +│ Best +│ Median +│ p vs top +│/);
    expect(report).not.toContain('--wide');
  });

  it('a narrow terminal leaves low-value columns out and says which, and that --wide shows them', () => {
    const report = nasbench(commands.report!(), terminal(80)).stdout;
    const notes = report.split('\n').filter((l) => l.startsWith('(not shown: '));
    // One line under each table that left columns out; the leaderboard's first.
    expect(notes.length).toBeGreaterThan(1);
    for (const note of notes) expect(note).toMatch(/; --wide shows (it|them)\)$/);
    expect(notes[0]).toMatch(/^\(not shown: Budget, /);
    // What the leaderboard is for stays: the method, its final result and the test against the top row.
    for (const word of ['evolution', 'random', 'Final', 'p vs']) expect(report).toContain(word);
  });

  it("run's closing leaderboard fits too", () => {
    const r = nasbench(['run', 'random', '--task', 'nb201-cifar10', '--budget', '5', '--db', join(work, 'run.db'), '--data-dir', data], terminal(80));
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('random');
    expect(widest(r.stdout), r.stdout).toBeLessThanOrEqual(80);
  });
});

describe('help', () => {
  it('--param and --method show no empty default', () => {
    for (const command of ['run', 'resume']) {
      const help = nasbench([command, '--help']);
      expect(help.status).toBe(0);
      expect(help.stdout).not.toContain('[default: ]');
    }
  });

  it("the data topic's summary describes the topic", () => {
    const help = nasbench(['--help']);
    const line = help.stdout.split('\n').find((l) => /^ {2}data +/.test(l));
    expect(line).toMatch(/data +The data sets tasks train and look up on/);
    expect(line).not.toMatch(/Download the files/);
  });

  it('descriptions have no hard line breaks inside a paragraph, so help reflows at any width', async () => {
    const config = await Config.load(ROOT);
    expect(config.commands.length).toBeGreaterThan(10);
    for (const command of config.commands) {
      for (const paragraph of (command.description ?? '').split('\n\n')) {
        // A paragraph is one line, or an indented listing (the data directory's layout).
        const lines = paragraph.split('\n');
        if (lines.length > 1) expect(lines.every((l) => /^\s/.test(l)), `${command.id}: ${paragraph}`).toBe(true);
      }
      expect(command.summary ?? '', command.id).not.toContain('\n');
      for (const [flag, spec] of Object.entries(command.flags)) expect(spec.description ?? '', `${command.id} --${flag}`).not.toContain('\n');
    }
    // oclif wraps them at the width it is given.
    for (const columns of [60, 200]) {
      const help = nasbench(['run', '--help'], { OCLIF_COLUMNS: String(columns) });
      const description = help.stdout.slice(help.stdout.indexOf('DESCRIPTION'), help.stdout.indexOf('EXAMPLES'));
      expect(widest(description)).toBeLessThanOrEqual(columns);
      if (columns === 200) expect(description).toMatch(/Creates an experiment with one run per seed\. Each run asks the method for architectures, evaluates them/);
    }
  });
});
