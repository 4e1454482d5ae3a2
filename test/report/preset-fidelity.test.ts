import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSession } from '../../src/cli/session.js';
import { FIDELITY_FILE, loadFidelityTable } from '../../src/cli/fidelity-table.js';
import { describeTau, fidelityNote, lowFidelityWarning, type FidelityTable } from '../../src/report/preset-fidelity.js';
import { leaderboardTableData, paperTablesData } from '../../src/report/tables.js';
import type { LeaderboardRow } from '../../src/report/leaderboard.js';
import type { RunRecord } from '../../src/store/types.js';

const table: FidelityTable = {
  ptb: { smoke: { label: 'smoke', tau: 0.12, ci95: [-0.2, 0.41], cells: 16 }, tiny: { label: 'cand', tau: 0.55, ci95: [0.3, 0.74], cells: 9 }, paper: null },
  'fashion-mnist': { tiny: { label: 'tiny-0', tau: 0.29999, ci95: null, cells: 16 } },
};

describe('preset fidelity shown to users', () => {
  it('reads the presets section of the committed results, and nothing when the file is absent', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nasbench-fidelity-'));
    const file = join(dir, 'proxy-fidelity.json');
    writeFileSync(file, JSON.stringify({ tasks: [], presets: table }));
    expect(loadFidelityTable(file)).toEqual(table);
    expect(loadFidelityTable(join(dir, 'absent.json'))).toEqual({});
    expect(FIDELITY_FILE.endsWith(join('results', 'proxy-fidelity.json'))).toBe(true);
  });

  it('describes τ with its interval and cells, or says it is not measured', () => {
    expect(describeTau(table.ptb!.tiny!)).toBe('τ = 0.55 [0.30, 0.74] (9 cells)');
    expect(describeTau(null)).toBe('not measured');
    expect(describeTau({ label: 'cand', tau: 0.5, ci95: null, cells: 8, heldOut: true })).toBe('τ = 0.50 (8 held-out cells)');
    expect(fidelityNote(table, 'ptb', 'paper')).toMatch(/preset paper on ptb: agreement with final results not measured/);
    expect(fidelityNote(table, 'wikitext2', 'tiny')).toMatch(/not measured/);
  });

  it('warns below τ = 0.3 only, in the issue’s words', () => {
    expect(lowFidelityWarning(table, 'ptb', 'smoke')).toBe(
      'warning: the search signal of preset smoke on task ptb agrees with final results at τ = 0.12; see results/proxy-fidelity.md',
    );
    expect(lowFidelityWarning(table, 'fashion-mnist', 'tiny')).toMatch(/τ = 0.30;/);
    expect(lowFidelityWarning(table, 'ptb', 'tiny')).toBeNull();
    expect(lowFidelityWarning(table, 'ptb', 'paper')).toBeNull();
  });

  it('warns once per session however many runs start', () => {
    const warnings: string[] = [];
    const session = startSession({ quiet: true, log: () => {}, fidelity: table, warn: (l) => warnings.push(l) });
    const run = { id: 1, task: 'ptb', taskRecord: { preset: 'smoke' } } as unknown as RunRecord;
    session.hooks.onRunStart!(run, 0, 2);
    session.hooks.onRunStart!({ ...run, id: 2 } as RunRecord, 1, 2);
    session.end();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/preset smoke on task ptb agrees with final results at τ = 0.12/);
    const quiet: string[] = [];
    const ok = startSession({ quiet: true, log: () => {}, fidelity: table, warn: (l) => quiet.push(l) });
    ok.hooks.onRunStart!({ ...run, taskRecord: { preset: 'tiny' } } as unknown as RunRecord, 0, 1);
    ok.end();
    expect(quiet).toEqual([]);
  });

  it('states the preset’s τ under the tables of a trained task, not of a tabular one', () => {
    const row = (task: string, kind: LeaderboardRow['kind'], preset: string | null) =>
      ({ task, kind, preset, method: 'random', label: 'random', metric: 'test perplexity', goal: 'min', runs: 1, completed: 1, final: null, child: null, finalParams: null, evaluationsPerRun: 1, searchSeconds: {}, supernetSeconds: {}, leftOut: [], best: null, pVsTop: null, budget: 1 }) as unknown as LeaderboardRow;
    const rows = [row('ptb', 'text', 'tiny'), row('nb201-cifar10', 'tabular', null)];
    const notes = leaderboardTableData(rows, table).notes;
    expect(notes).toContain('Search signal of preset tiny on ptb: Kendall τ = 0.55 [0.30, 0.74] (9 cells) against final test results (results/proxy-fidelity.md).');
    expect(notes.filter((n) => n.startsWith('Search signal'))).toHaveLength(1);
    const [ptb] = paperTablesData([rows[0]!], table);
    expect(ptb!.notes.at(-1)).toMatch(/^Search signal of preset tiny on ptb: Kendall τ = 0.55/);
  });
});
