import { UserError, didYouMean } from '../errors.js';
import { imageTasks } from './image-tasks.js';
import { nb201Tasks } from './nb201.js';
import { nb201FashionMnistTask } from './nb201-image-task.js';
import { textTasks } from './text-tasks.js';
import type { Task } from './types.js';

// How a trained task's engine may be asked for: checked for every task, so the CLI and the harness
// check --backend here without reaching into the engine.
export { parseBackendChoice } from '../engine/backend-choice.js';

const TASKS: ReadonlyMap<string, Task> = new Map<string, Task>([...nb201Tasks, nb201FashionMnistTask, ...imageTasks, ...textTasks].map((t) => [t.name, t]));

export function allTasks(): Task[] {
  return [...TASKS.values()];
}

export function getTask(name: string): Task {
  const task = TASKS.get(name);
  if (!task) throw new UserError(`unknown task '${name}'${didYouMean(name, [...TASKS.keys()])}: expected one of ${[...TASKS.keys()].join(', ')} (see 'nasbench tasks')`);
  return task;
}

// The harness reaches the data only through tasks: where the data lives is part of opening one.
export { resolveDataDir, type DataDir } from '../data/data-dir.js';
