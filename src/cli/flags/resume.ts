import { Flags } from '@oclif/core';

/** Which runs `resume` continues (besides run ids), and whose code it may load and take over (`resume-plan.ts` reads them). */
export const resumeFlags = {
  experiment: Flags.integer({ char: 'e', description: 'Continue every unfinished run of this experiment', min: 1 }),
  all: Flags.boolean({ description: 'Continue every unfinished run in the database' }),
  method: Flags.string({
    char: 'm',
    description: 'A plugin file or package the runs were started with, named again so that it may be loaded (repeatable; built-in methods need none)',
    multiple: true,
  }),
  force: Flags.boolean({
    description: 'Take over runs that a process on another host was running (this machine cannot tell whether it still is); a live process on this machine is never overridden',
  }),
  'trust-stored-plugin': Flags.boolean({ description: 'Load whatever plugin file or package the database names, without naming it again' }),
};
