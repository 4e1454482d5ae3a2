import type { TaskOptions } from '../tasks/types.js';

/**
 * What a process needs to open a task exactly as the run's own process did: the task, where its
 * data lives, and how it is opened (preset resolved, engine backend and threads, never fetching).
 * A worker process opens each target once and evaluates every job for it.
 */
export interface EvaluationTarget {
  readonly task: string;
  readonly dataDir: string;
  readonly options: TaskOptions;
}

export function targetKey(target: EvaluationTarget): string {
  return JSON.stringify([target.task, target.dataDir, target.options]);
}
