import { distance } from 'fastest-levenshtein';

/**
 * An error caused by what the user gave us (a flag, a file, a plugin path). The CLI prints its
 * message as one line and exits with code 2; nothing below the CLI prints or exits.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/**
 * The machine would not let us write results (disk full, I/O error). Not the user's input, but
 * just as much a one-line message with a non-zero exit: what was committed stays intact and
 * resumable.
 */
export class StoreWriteError extends Error {
  override readonly name = 'StoreWriteError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * " (did you mean 'x'?)" when what was typed is a likely typo of one candidate: the nearest by
 * Levenshtein distance (case ignored), within a third of its length and at most 3 edits; else "".
 */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | null = null;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best === null ? '' : ` (did you mean '${best}'?)`;
}
