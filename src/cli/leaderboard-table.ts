import type { LeaderboardRow } from '../report/leaderboard.js';
import { leaderboardTableData, type TableData } from '../report/tables.js';
import { table } from './format.js';

/** A report table for terminals and logs: the table, then its notes. */
export function terminalTable(t: TableData): string {
  return [table(t.head, t.rows), ...t.notes].join('\n');
}

/** The leaderboard as a terminal table; parameters are shown only where one method appears with several settings. */
export function leaderboardTable(rows: readonly LeaderboardRow[]): string {
  return terminalTable(leaderboardTableData(rows));
}
