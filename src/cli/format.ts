import Table from 'cli-table3';
import type { Summary } from '../report/stats.js';
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

export function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);
}

export function meanStd(s: Summary | null, digits = 2): string {
  return s === null ? '–' : `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}`;
}

export function seconds(s: number): string {
  if (s < 1) return `${(s * 1000).toFixed(1)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

export function compactParams(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}
