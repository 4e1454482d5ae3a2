import { Flags } from '@oclif/core';
import { parseBackendChoice } from '../../tasks/index.js';
import type { TaskOptions } from '../../tasks/types.js';
import { dataDirFlag } from './data.js';

export const backendFlag = Flags.custom<string>({
  // Checked whatever the task (a tabular one never starts the engine): no bad name reaches the store.
  parse: async (input) => parseBackendChoice(input),
  description: 'Engine backend: auto (tfjs-node-gpu, webgpu on a GPU, tfjs-node, wasm, cpu: first that works), tensorflow, webgpu, wasm or cpu',
  env: 'NASBENCH_BACKEND',
  helpValue: '<name>',
})();

export const threadsFlag = Flags.integer({
  description: 'Threads of the wasm engine (default: one per core, or one when the machine is already busy; two runs started together should say 1)',
  env: 'NASBENCH_THREADS',
  min: 1,
  max: 8,
  helpValue: '<n>',
});

export const allowUnverifiedDataFlag = Flags.boolean({
  description: 'Use data files that differ from their known checksums (or sizes) instead of refusing them; recorded with the run (its experiment config names the files)',
});

export const fetchFlag = Flags.boolean({
  // No default here: the harness's (harness/task-options.ts) applies when the flag is not given.
  description: 'Download a missing data set (the default; --no-fetch forbids it)',
  allowNo: true,
});

export const presetFlag = Flags.string({
  description: "How children are trained: 'smoke' (seconds, to check a setup), 'tiny' (default on CPU) or 'paper' (default on GPU); table lookups have none; see 'nasbench tasks'",
});

/** The flags of every command that opens a task (run, resume, train), defined once. */
export const openTaskFlags = {
  backend: backendFlag,
  threads: threadsFlag,
  fetch: fetchFlag,
  'allow-unverified-data': allowUnverifiedDataFlag,
  'data-dir': dataDirFlag,
};

/** How the task is opened, from those flags (and `--preset` where a command has it); unset flags are left to the harness and the task. */
export function taskOptions(flags: {
  readonly preset?: string | undefined;
  readonly backend?: string | undefined;
  readonly threads?: number | undefined;
  readonly fetch?: boolean | undefined;
  readonly 'allow-unverified-data'?: boolean | undefined;
}): Partial<TaskOptions> {
  return {
    ...(flags.fetch !== undefined ? { fetch: flags.fetch } : {}),
    ...(flags.preset !== undefined ? { preset: flags.preset } : {}),
    ...(flags.backend !== undefined ? { backend: flags.backend } : {}),
    ...(flags.threads !== undefined ? { threads: flags.threads } : {}),
    ...(flags['allow-unverified-data'] ? { allowUnverifiedData: true } : {}),
  };
}
