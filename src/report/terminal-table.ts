import Table from 'cli-table3';
import type { LeaderboardRow } from './leaderboard.js';
import type { FidelityTable } from './preset-fidelity.js';
import { leaderboardTableData, type TableData } from './tables.js';
import { droppedNote, fitTable, wrapCell, wrapLines, type Width } from './terminal-fit.js';
import { terminalSafe } from './terminal-text.js';

export interface TableFitOptions {
  /** Columns the table must fit (null or absent: full width). */
  readonly width?: Width;
  /** Heads of the columns a narrow terminal may leave out, least useful first. */
  readonly dropFirst?: readonly string[];
}

/**
 * A plain, borderless table for terminals and logs. Given a width, it fits: cells wrap, and the
 * columns in `dropFirst` are left out (with a line saying which) when the rest would be too narrow.
 */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[], fit: TableFitOptions = {}): string {
  const width = fit.width ?? null;
  const safeHead = head.map(terminalSafe);
  const safeRows = rows.map((r) => r.map((cell) => terminalSafe(String(cell))));
  const { keep, widths, dropped } = fitTable(safeHead, safeRows, width, fit.dropFirst);
  const pick = (cells: readonly string[]) => keep.map((i, k) => wrapCell(cells[i] ?? '', width === null ? null : widths[k]!));
  const t = new Table({
    head: pick(safeHead),
    style: { head: [], border: [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  t.push(...safeRows.map(pick));
  return dropped.length > 0 ? `${t.toString()}\n${droppedNote(dropped, width)}` : t.toString();
}

/** A report table for terminals and logs: the table, then its notes (wrapped to the width, if one is given). */
export function terminalTable(t: TableData, width: Width = null): string {
  return [table(t.head, t.rows, { width, dropFirst: t.dropFirst }), ...t.notes.map((n) => wrapLines(terminalSafe(n), width))].join('\n');
}

/** The leaderboard as a terminal table; parameters are shown only where one method appears with several settings. */
export function leaderboardTable(rows: readonly LeaderboardRow[], fidelity: FidelityTable = {}, width: Width = null): string {
  return terminalTable(leaderboardTableData(rows, fidelity), width);
}
