/**
 * An error caused by what the user gave us (a flag, a file, a plugin path). The CLI prints its
 * message as one line and exits with code 2; nothing below the CLI prints or exits.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
