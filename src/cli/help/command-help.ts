import type { Command } from '@oclif/core';

/**
 * What a command's `--help` says besides its flags: the one-line summary, the longer description
 * and the examples. Kept apart from the commands so that a command file reads as what it does.
 */
export interface CommandHelp {
  readonly summary: string;
  readonly description?: string;
  readonly examples: Command.Example[];
}
