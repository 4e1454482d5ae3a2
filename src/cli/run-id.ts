import { UserError } from '../errors.js';

/** A run id typed on the command line: a positive whole number, else one line saying so. */
export function parseRunId(text: string): number {
  const n = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new UserError(`run id ${JSON.stringify(text)}: expected a positive whole number`);
  return n;
}
