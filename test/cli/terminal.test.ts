import { describe, expect, it } from 'vitest';
import { isTerminal, outputWidth, terminalColumns } from '../../src/cli/terminal.js';

describe('the terminal width', () => {
  it('is full width off a terminal and with --wide; COLUMNS overrides what the terminal says', () => {
    expect(outputWidth(false, { isTTY: false }, {})).toBeNull();
    expect(outputWidth(false, { isTTY: true, columns: 132 }, {})).toBe(132);
    expect(outputWidth(true, { isTTY: true, columns: 132 }, {})).toBeNull();
    expect(outputWidth(false, { isTTY: true, columns: 132 }, { COLUMNS: '90' })).toBe(90);
    expect(outputWidth(false, { isTTY: false }, { NASBENCH_FORCE_TTY: '1', COLUMNS: '70' })).toBe(70);
    expect(terminalColumns({ isTTY: true }, { COLUMNS: 'wide' })).toBe(80);
    expect(isTerminal({ isTTY: false }, { NASBENCH_FORCE_TTY: '0' })).toBe(false);
  });
});
