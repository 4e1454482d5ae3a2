import { Flags } from '@oclif/core';
import { resolveDataDir } from '../../data/data-dir.js';
import { quietFlag, verboseFlag, wideFlag } from './output.js';
import { dbFlag } from './store.js';
import { openTaskFlags, taskOptions } from './task.js';

export const workersFlag = Flags.integer({
  description:
    'Evaluations in flight at once, and runs (seeds) executed at once; results are the same for any number. Trained tasks train children in this many local worker processes (default: one single-threaded worker per core, as memory allows); table lookups stay in this process (default 1)',
  env: 'NASBENCH_WORKERS',
  min: 1,
  max: 256,
  helpValue: '<n>',
});

export const queueFlag = Flags.string({
  description: "Redis URL of a BullMQ queue (e.g. redis://host:6379): this process coordinates and stores, 'nasbench worker' processes evaluate; --workers is then the jobs in flight (default 32)",
  env: 'NASBENCH_QUEUE',
  helpValue: '<url>',
});

/** The flags of the commands that execute runs (run, resume): where evaluations run and what they read. */
export const executeFlags = {
  ...openTaskFlags,
  workers: workersFlag,
  queue: queueFlag,
  db: dbFlag,
  quiet: quietFlag,
  verbose: verboseFlag,
  wide: wideFlag,
};

/** What `run` and `resume` ask of the harness alike, from those flags. */
export function executeRequest(flags: Parameters<typeof taskOptions>[0] & { readonly 'data-dir'?: string | undefined; readonly workers?: number | undefined; readonly queue?: string | undefined }) {
  return {
    dataDir: resolveDataDir(flags['data-dir']),
    options: taskOptions(flags),
    ...(flags.workers !== undefined ? { workers: flags.workers } : {}),
    ...(flags.queue !== undefined ? { queue: flags.queue } : {}),
  };
}
