// The help of the commands that list what can be run, and check a plugin: tasks, methods, plugin check.
import type { CommandHelp } from './command-help.js';

/** `nasbench tasks --help`. */
export const tasksHelp: CommandHelp = {
  summary: 'List tasks, what they measure, and whether their data is present',
  examples: [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Check a data directory', command: '<%= config.bin %> <%= command.id %> --data-dir ~/datasets/nasbench' },
  ],
};

/** `nasbench methods --help`. */
export const methodsHelp: CommandHelp = {
  summary: 'List the search methods nasbench can run, with their hyper-parameters',
  description: `Methods come from nasbench's own methods/ folder and from installed npm packages named nasbench-method-*; a plugin file can also be run by path ('nasbench run ./my-searcher.js'). Set a hyper-parameter with 'nasbench run <method> --param key=value'.`,
  examples: ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'],
};

/** `nasbench plugin check --help`. */
export const pluginCheckHelp: CommandHelp = {
  summary: 'Check a plugin file: its types, its exports and parameters, and its contract on a tiny synthetic task',
  description: `Three checks, each one line: 'types' type-checks a TypeScript plugin against this nasbench's API (nasbench/api resolves to it wherever the file lives); 'exports' loads the module and checks its default export and every declared parameter's default; 'contract' drives the searcher as a run does on the search space of a task it supports, with synthetic scores (no data, no training): propose at most max valid architectures, snapshot() as JSON after every propose, and a searcher restored from a snapshot proposing exactly what the live one does. Exit code 1 when a check fails.`,
  examples: [
    '<%= config.bin %> <%= command.id %> ./hill-climb.ts',
    { description: "With the plugin's stack trace when one of its calls throws", command: '<%= config.bin %> <%= command.id %> ./hill-climb.js --verbose' },
  ],
};
