import Table from 'cli-table3';
import type { LeaderboardRow } from './leaderboard.js';
import type { FidelityTable } from './preset-fidelity.js';
import { leaderboardTableData, type TableData } from './tables.js';
import { terminalSafe } from './terminal-text.js';

/** A plain, borderless table for terminals and logs. */
export function table(head: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const t = new Table({
    head: head.map(terminalSafe),
    style: { head: [], border: [], compact: true },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
  t.push(...rows.map((r) => r.map((cell) => terminalSafe(String(cell)))));
  return t.toString();
}

/** A report table for terminals and logs: the table, then its notes. */
export function terminalTable(t: TableData): string {
  return [table(t.head, t.rows), ...t.notes].join('\n');
}

/** The leaderboard as a terminal table; parameters are shown only where one method appears with several settings. */
export function leaderboardTable(rows: readonly LeaderboardRow[], fidelity: FidelityTable = {}): string {
  return terminalTable(leaderboardTableData(rows, fidelity));
}
