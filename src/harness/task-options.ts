import type { TaskOptions } from '../tasks/types.js';

/**
 * How a task is opened when the request leaves an option out: missing data may be downloaded
 * (`--no-fetch` forbids it). Preset, backend and threads are left to the task, which resolves
 * them for the device (tasks/engine-evaluation.ts).
 */
export const TASK_OPTION_DEFAULTS: TaskOptions = { fetch: true };

/** A request's task options with the defaults filled in. */
export function withTaskDefaults(options: Partial<TaskOptions> = {}): TaskOptions {
  return { ...TASK_OPTION_DEFAULTS, ...options };
}
