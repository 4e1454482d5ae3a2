import { UserError } from '../errors.js';
import type { RunStatus } from '../store/types.js';

/** Which runs a report covers; every field narrows the selection. */
export interface Selection {
  readonly task?: string;
  readonly method?: string;
  readonly experimentId?: number;
  readonly runIds?: readonly number[];
  /** Only experiments created at or after this instant (ISO 8601, UTC, as stored). */
  readonly since?: string;
  readonly status?: RunStatus;
}

/**
 * Parses `--since`: a date (`2026-05-01`, midnight UTC) or a date-time (`2026-05-01T12:00`,
 * local time unless it names a zone), normalised to the store's UTC form so it compares as text.
 */
export function parseSince(text: string): string {
  const at = Date.parse(text);
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (day === null || Number.isNaN(at)) {
    throw new UserError(`--since ${text}: expected an ISO date or date-time such as 2026-05-01 or 2026-05-01T14:30:00Z`);
  }
  // Date.parse rolls impossible days over (2026-02-30 becomes 2 March): the day must survive a round trip.
  const [year, month, date] = day.slice(1).map(Number) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, date));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== date) {
    throw new UserError(`--since ${text}: ${day[0]} is not a day of the calendar; expected an ISO date such as 2026-05-01`);
  }
  return new Date(at).toISOString();
}

/** The WHERE clause over `runs r JOIN experiments e`, with its arguments. */
export function selectionSql(s: Selection): { readonly where: string; readonly args: readonly unknown[] } {
  const clauses: string[] = [];
  const args: unknown[] = [];
  const add = (clause: string, ...values: unknown[]) => (clauses.push(clause), args.push(...values));
  if (s.task !== undefined) add('e.task = ?', s.task);
  if (s.method !== undefined) add('e.method = ?', s.method);
  if (s.experimentId !== undefined) add('r.experiment_id = ?', s.experimentId);
  if (s.since !== undefined) add('e.created_at >= ?', s.since);
  if (s.status !== undefined) add('r.status = ?', s.status);
  // One bound JSON array, however many ids: SQLite allows only so many bound variables per statement.
  if (s.runIds !== undefined) add('r.id IN (SELECT value FROM json_each(?))', JSON.stringify(s.runIds));
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', args };
}

/** One line saying what was selected, for report headers and "nothing found" messages. */
export function describeSelection(s: Selection): string {
  const parts: string[] = [];
  if (s.task !== undefined) parts.push(`task ${s.task}`);
  if (s.method !== undefined) parts.push(`method ${s.method}`);
  if (s.experimentId !== undefined) parts.push(`experiment ${s.experimentId}`);
  if (s.runIds !== undefined) parts.push(`runs ${s.runIds.join(', ')}`);
  if (s.since !== undefined) parts.push(`experiments since ${s.since}`);
  if (s.status !== undefined) parts.push(`status ${s.status}`);
  return parts.length > 0 ? parts.join(', ') : 'all runs';
}
