import { Flags } from '@oclif/core';
import { MAX_BUDGET } from '../../harness/experiment.js';
import { seedFlags } from './seeds.js';
import { presetFlag } from './task.js';

/** What `run` runs: an experiment file, or a task with seeds, budget, hyper-parameters and preset (`run-plan.ts` reads them). */
export const experimentFlags = {
  config: Flags.string({
    char: 'c',
    description: 'An experiment file, YAML or JSON (methods with params, tasks, seeds, budget, workers, preset; see docs/EXPERIMENTS.md): every method runs on every task; flags given here override the file',
    helpValue: '<file>',
  }),
  task: Flags.string({ char: 't', description: "Task to search on (see 'nasbench tasks'); required unless --config names tasks" }),
  ...seedFlags,
  budget: Flags.integer({ char: 'b', description: "Evaluations per run (default: the task's, 150 on NAS-Bench-201)", min: 1, max: MAX_BUDGET }),
  param: Flags.string({ char: 'p', description: 'Hyper-parameter of the method as key=value (repeatable)', multiple: true }),
  preset: presetFlag,
};
