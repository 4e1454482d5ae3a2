import { UserError } from '../errors.js';
import { checkRequest, type ExperimentRequest } from '../harness/experiment.js';
import { resolveSource } from '../harness/plugins.js';
import { allTasks, getTask } from '../tasks/index.js';
import { executeRequest } from './flags/execute.js';
import { readExperimentFile, type ExperimentFile, type MethodEntry } from './experiment-file.js';
import { seedsOf } from './flags/seeds.js';

/** What `run` was given: its argument and flags (only those it reads here). */
export interface RunInput {
  readonly method: string | undefined;
  readonly flags: Parameters<typeof executeRequest>[0] & {
    readonly config?: string | undefined;
    readonly task?: string | undefined;
    readonly seeds?: string | undefined;
    readonly seed?: number | undefined;
    readonly budget?: number | undefined;
    readonly param?: readonly string[] | undefined;
    readonly preset?: string | undefined;
  };
}

/**
 * The experiments one `run` asks for: one, from flags alone, or every method × task of an
 * experiment file (`--config`), with flags given on the command line taking precedence over the
 * file's settings. Every method and task is checked before anything runs or is stored.
 */
export function runRequests({ method, flags }: RunInput): ExperimentRequest[] {
  const file: ExperimentFile | null = flags.config !== undefined ? readExperimentFile(flags.config) : null;
  const methods: readonly MethodEntry[] = method !== undefined ? [{ method, params: [] }] : (file?.methods ?? []);
  if (methods.length === 0) {
    throw new UserError(file ? `--config ${flags.config}: no method: expected method: or methods: (or a method after 'run')` : "missing method: expected 'nasbench run <method> --task <task>' or 'nasbench run --config <experiment file>'");
  }
  const tasks = flags.task !== undefined ? [flags.task] : (file?.tasks ?? []);
  if (tasks.length === 0) {
    throw new UserError(`--task is required${file ? ` (or task: in ${flags.config})` : ''}: one of ${allTasks().map((t) => t.name).join(', ')} (see 'nasbench tasks')`);
  }
  // Unknown names are refused before a store is created (named with the file they came from).
  const fromFile = (key: string, fromFlag: boolean, check: () => void) => {
    try {
      check();
    } catch (err) {
      if (fromFlag || !(err instanceof UserError)) throw err;
      throw new UserError(`--config ${flags.config}: ${key}: ${err.message}`);
    }
  };
  for (const task of tasks) fromFile('task', flags.task !== undefined, () => getTask(task));
  for (const m of methods) fromFile('method', method !== undefined, () => resolveSource(m.method));
  const merged = {
    ...flags,
    preset: flags.preset ?? file?.preset,
    backend: flags.backend ?? file?.backend,
    threads: flags.threads ?? file?.threads,
    workers: flags.workers ?? file?.workers,
    queue: flags.queue ?? file?.queue,
  };
  const seeds = seedsOf(flags) ?? file?.seeds ?? [0];
  const budget = flags.budget ?? file?.budget;
  return methods.flatMap((m) =>
    tasks.map((task) => ({
      method: m.method,
      task,
      seeds,
      ...(budget !== undefined ? { budget } : {}),
      // --param comes after the file's: the later assignment of a key wins.
      params: [...m.params, ...(flags.param ?? [])],
      ...executeRequest(merged),
    })),
  );
}

/**
 * Checks each request's method, task, parameters (as the method settles them) and budget before
 * any runs, so that an experiment file with one bad entry stores nothing; an error of a file's
 * entry names the file and the method.
 */
export async function checkRequests(requests: readonly ExperimentRequest[], file: string | undefined): Promise<void> {
  for (const request of requests) {
    try {
      await checkRequest(request);
    } catch (err) {
      if (file === undefined || requests.length === 1 || !(err instanceof UserError)) throw err;
      throw new UserError(`--config ${file}: method ${request.method} on ${request.task}: ${err.message}`);
    }
  }
}
