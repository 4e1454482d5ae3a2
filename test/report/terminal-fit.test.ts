import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { droppedNote, fitTable, shareWidth, tableOverhead, wrapCell, wrapLine, wrapLines } from '../../src/report/terminal-fit.js';
import { table } from '../../src/report/terminal-table.js';

const widest = (text: string) => Math.max(...text.split('\n').map((l) => stringWidth(l)));

const HEAD = ['Task', 'Space', 'Searches on', 'Reports', 'Search signal vs final (Kendall τ)', 'Data'];
const ROWS = [
  ['nb201-cifar10', 'nb201', 'validation accuracy after 12 epochs (%)', 'test accuracy after 200 epochs (%)', '–', 'present'],
  ['fashion-mnist', 'cnn-micro', 'validation accuracy (%) on held-out training images', 'test error (%) after training from scratch', 'smoke: τ = 0.17 [-0.35, 0.65] (16 cells); tiny: not measured; paper: not measured', 'missing 6 file(s), e.g. data_batch_1.bin'],
  ['ptb', 'rnn-cell', 'validation perplexity', 'test perplexity after training from scratch', '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|', 'present'],
];

describe('fitting tables to a terminal', () => {
  it('shares the width: narrow columns keep their width, the wide ones split the rest', () => {
    expect(shareWidth([5, 40, 60], 60)).toEqual([5, 27, 28]);
    expect(shareWidth([5, 10], 60)).toEqual([5, 10]);
    expect(shareWidth([30, 30, 30], 31).reduce((a, b) => a + b)).toBe(31);
  });

  it('at full width (null) the table is as it always was', () => {
    const fit = fitTable(HEAD, ROWS, null);
    expect(fit.dropped).toEqual([]);
    expect(fit.keep).toEqual([0, 1, 2, 3, 4, 5]);
    const text = table(HEAD, ROWS);
    expect(text).toBe(table(HEAD, ROWS, { width: null, dropFirst: ['Space'] }));
    expect(widest(text)).toBe(fit.widths.reduce((a, b) => a + b) + tableOverhead(6));
  });

  for (const width of [60, 80, 100, 120]) {
    it(`at ${width} columns no line is wider, and no kept cell loses a character`, () => {
      const text = table(HEAD, ROWS, { width, dropFirst: ['Space', 'Reports', 'Data'] });
      expect(widest(text)).toBeLessThanOrEqual(width);
      expect(text).not.toContain('…');
      const { keep, widths } = fitTable(HEAD, ROWS, width, ['Space', 'Reports', 'Data']);
      for (const row of ROWS) {
        keep.forEach((i, k) => {
          const wrapped = wrapCell(row[i]!, widths[k]!);
          expect(widest(wrapped)).toBeLessThanOrEqual(widths[k]!);
          expect(wrapped.replace(/\s/g, '')).toBe(row[i]!.replace(/\s/g, ''));
        });
      }
    });
  }

  it('leaves out droppable columns, least useful first, only as far as needed, and says so', () => {
    const at80 = fitTable(HEAD, ROWS, 80, ['Space', 'Reports', 'Data']);
    expect(at80.dropped.length).toBeGreaterThan(0);
    expect(new Set(at80.dropped)).toEqual(new Set(['Space', 'Reports', 'Data'].slice(0, at80.dropped.length)));
    expect(fitTable(HEAD, ROWS, 100, ['Space', 'Reports', 'Data']).dropped.length).toBeLessThanOrEqual(at80.dropped.length);
    const text = table(HEAD, ROWS, { width: 80, dropFirst: ['Space', 'Reports', 'Data'] });
    expect(text.split('\n').at(-1)).toBe(`(not shown: ${at80.dropped.join(', ')}; --wide shows them)`);
    expect(droppedNote(['Budget', 'Evals/run', 'Device-hours/run', 'Searcher CPU/run', '95 % CI', 'Best', 'Median'], 60)).toBe('(not shown: Budget, Evals/run and 5 more; --wide shows them)');
    expect(droppedNote(['Budget'], 80)).toBe('(not shown: Budget; --wide shows it)');
    expect(droppedNote(['Budget', 'Evals/run'], 10)).toBe('(not shown: 2 more; --wide shows them)');
    expect(fitTable(HEAD, ROWS, 400, ['Space']).dropped).toEqual([]);
    // Nothing droppable: everything stays, wrapped.
    const kept = fitTable(HEAD, ROWS, 80);
    expect(kept.dropped).toEqual([]);
    expect(widest(table(HEAD, ROWS, { width: 80 }))).toBeLessThanOrEqual(80);
  });

  it('wraps a long line with its continuation indented under it', () => {
    const line = '  --param population=10   Population size of the regularized evolution, the number of architectures kept (an integer ≥ 2)';
    const wrapped = wrapLine(line, 50);
    expect(widest(wrapped)).toBeLessThanOrEqual(50);
    const lines = wrapped.split('\n');
    expect(lines[0]!.startsWith('  --param population=10')).toBe(true);
    for (const l of lines.slice(1)) expect(l).toMatch(/^ {4}\S/);
    expect(lines.map((l) => l.trim()).join(' ').replace(/\s+/g, ' ')).toBe(line.trim().replace(/\s+/g, ' '));
    expect(wrapLine(line, null)).toBe(line);
    expect(wrapLines(`short\n${line}`, 50).split('\n')[0]).toBe('short');
  });
});
