import type { Hook } from '@oclif/core';
import { didYouMean } from '../../errors.js';
import { terminalSafe } from '../../report/terminal-text.js';

/** An unknown command is one line with the nearest command, and exit code 2, like any bad input. */
const hook: Hook.CommandNotFound = async function (options) {
  const ids = options.config.commandIDs.map((id) => id.replaceAll(':', ' '));
  const typed = options.id.replaceAll(':', ' ');
  process.stderr.write(terminalSafe(`Error: unknown command '${typed}'${didYouMean(typed, ids)}: expected one of ${ids.join(', ')} (see 'nasbench --help')`) + '\n');
  process.exit(2);
};

export default hook;
