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
