import Table from 'cli-table3';
import { terminalSafe } from './terminal-text.js';

// Numbers read the same in the terminal as in reports.
export { duration as seconds, fixed, meanStd } from '../report/numbers.js';

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

export function compactParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
