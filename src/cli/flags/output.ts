import { Flags } from '@oclif/core';

/** How much a command prints beyond its results, and how wide. */
export const quietFlag = Flags.boolean({ char: 'q', description: 'No progress output' });

export const verboseFlag = Flags.boolean({
  char: 'v',
  description: "Print a plugin's stack trace when it fails a run (the run's stored error is its one-line message)",
});

/** Every command that prints a table has it: on a terminal, output fits its width unless --wide. */
export const wideFlag = Flags.boolean({
  description: 'Print tables and lines at full width instead of fitting them to the terminal (files and pipes always get full width)',
});
