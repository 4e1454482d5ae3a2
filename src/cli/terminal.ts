/**
 * Whether output goes to a terminal, and how wide it is: tables and long lines fit it, progress
 * bars are drawn on it. Off a terminal (files, pipes) output is full width, as scripts expect.
 *
 * NASBENCH_FORCE_TTY=1 makes nasbench treat stdout and stderr as terminals even when they are
 * pipes: the CLI tests run nasbench through pipes and check what a terminal would show (set
 * COLUMNS with it for the width).
 */
import type { Width } from '../report/terminal-fit.js';

export const FORCE_TTY_ENV = 'NASBENCH_FORCE_TTY';

/** Used when a terminal does not say how wide it is. */
const DEFAULT_COLUMNS = 80;

interface Stream {
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export function isTerminal(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true || env[FORCE_TTY_ENV] === '1';
}

/** The terminal's width: COLUMNS when set to a positive whole number, else what the terminal says, else 80. */
export function terminalColumns(stream: Stream, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = /^\d+$/.test(env.COLUMNS ?? '') ? Number(env.COLUMNS) : 0;
  if (fromEnv > 0) return fromEnv;
  return stream.columns !== undefined && stream.columns > 0 ? stream.columns : DEFAULT_COLUMNS;
}

/** The width standard output must fit: the terminal's, or null (full width) off a terminal or with --wide. */
export function outputWidth(wide: boolean, stream: Stream = process.stdout, env: NodeJS.ProcessEnv = process.env): Width {
  return wide || !isTerminal(stream, env) ? null : terminalColumns(stream, env);
}
