import { Flags } from '@oclif/core';

export const DEFAULT_DB = 'results/nasbench.db';

/** The store every command that reads or writes experiments opens. */
export const dbFlag = Flags.string({
  description: 'SQLite file holding experiments, runs and evaluations',
  default: DEFAULT_DB,
  env: 'NASBENCH_DB',
  helpValue: '<file>',
});
