/**
 * Names and text that come from the store (a method's name, its parameters, errors, diagnostics)
 * are printed safely: no terminal control sequence reaches a terminal, Markdown escapes HTML, and
 * CSV cells cannot start a spreadsheet formula.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/report/terminal-text.js';
import { nasbench } from '../../support/cli.js';
import { insertExperiment, tempStore } from '../report/fixtures.js';

/** ESC[2J clears the screen, BEL rings, CSI (C1) and a carriage return overwrite what was printed. */
const HOSTILE = 'evil\x1b[2J\x07\x9b31m\rfake';
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

let db: string;
let runId: number;
beforeAll(() => {
  const made = tempStore();
  db = made.path;
  const run = (final: number) => ({ final, evaluations: [{ value: 1 }, { value: 2 }] });
  runId = insertExperiment(made.store, { task: 'nb201-cifar10', method: HOSTILE, params: { [`k\x1b]0;title\x07`]: `v\x1b[31m` }, runs: [run(93), run(94)] })[0]!;
  insertExperiment(made.store, { task: 'nb201-cifar10', method: '<img src=x onerror=alert(1)>', runs: [run(92), run(91)] });
  insertExperiment(made.store, { task: 'nb201-cifar10', method: '=HYPERLINK("http://example.com","x")', runs: [run(-5), run(-7)] });
  made.store.recordDiagnostic(runId, 1, `kind\x1b[2J`, { note: `text\x1b[2J` });
  made.store.setRunStatus(runId, 'failed', `boom\x1b[2J\x07`);
  made.store.close();
});

describe('text from the store', () => {
  it('terminalSafe removes C0 and C1 controls, DEL and carriage returns, and keeps newlines, tabs and other text', () => {
    expect(terminalSafe(`a\x1b[2Jb\x07c\x9bd\x7fe\rf\x00g`)).toBe('a[2Jbcdefg');
    expect(terminalSafe('line 1\n\tline 2 · ± τ ✓')).toBe('line 1\n\tline 2 · ± τ ✓');
  });

  it.each([
    [['report']],
    [['report', '--format', 'markdown']],
    [['report', '--format', 'csv']],
    [['show', '1']],
  ])('%j prints no control character', (args) => {
    const r = nasbench([...args, '--db', db]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('evil');
    expect(CONTROL.test(r.stdout)).toBe(false);
    expect(CONTROL.test(r.stderr)).toBe(false);
  });

  it('show prints the diagnostic, the error and the parameters without their control characters', () => {
    const r = nasbench(['show', String(runId), '--db', db]);
    expect(r.stdout).toContain('boom[2J');
    expect(r.stdout).toContain('kind[2J');
    expect(r.stdout).toContain('k]0;title=v[31m');
  });

  it('Markdown escapes names as HTML', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'nasbench-md-')), 'r.md');
    expect(nasbench(['report', '--db', db, '--format', 'markdown', '--no-charts', '--out', out]).status).toBe(0);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(md).not.toContain('<img');
  });

  it('CSV neutralises a text cell that would start a formula, and keeps negative numbers as numbers', () => {
    const r = nasbench(['report', '--db', db, '--format', 'csv']);
    const line = r.stdout.split('\n').find((l) => l.includes('HYPERLINK'))!;
    expect(line).toContain(`"'=HYPERLINK(""http://example.com"",""x"")"`);
    expect(line).toMatch(/,-6,/); // the mean of −5 and −7, a number
    expect(line).not.toContain("'-");
  });
});
