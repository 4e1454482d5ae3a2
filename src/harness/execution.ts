import { UserError } from '../errors.js';
import type { DataDir } from '../tasks/data-dir.js';
import type { Evaluator, Task, TaskOptions } from '../tasks/types.js';
import { evaluationSlots, inProcessDispatcher, type EvaluationDispatcher, type EvaluationSlots } from './evaluation.js';
import { defaultLocalWorkers, LocalWorkers } from './local-workers.js';

/** More evaluations in flight than this is a typo, not a machine. */
export const MAX_WORKERS = 256;

export interface ExecutionRequest {
  /** Evaluations in flight at once (and runs executed at once); undefined: the default for the tasks. */
  readonly workers?: number;
}

/**
 * How an experiment's evaluations are carried out: how many at once (shared by its runs, several
 * of which execute at once when there are slots for them), and where. Table lookups stay in this
 * process: a lookup is faster than any hand-off. A trained task with more than one worker has its
 * children trained in local worker processes, single-threaded unless `--threads` says otherwise;
 * by default as many as the cores and memory allow (see defaultLocalWorkers).
 */
export class Execution {
  readonly slots: EvaluationSlots;
  private local: LocalWorkers | null = null;

  private constructor(
    readonly workers: number,
    private readonly threadsPerWorker: number | undefined,
  ) {
    this.slots = evaluationSlots(workers);
  }

  static plan(tasks: readonly Task[], request: ExecutionRequest, threads?: number): Execution {
    const { workers } = request;
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)) {
      throw new UserError(`--workers ${workers}: expected a whole number of evaluations in flight from 1 to ${MAX_WORKERS}`);
    }
    const trained = tasks.some((t) => t.kind !== 'tabular');
    return new Execution(workers ?? (trained ? defaultLocalWorkers(threads ?? 1) : 1), threads);
  }

  /** Where the evaluations of a task opened with `options` run. */
  dispatcher(task: Task, evaluator: Evaluator<unknown>, dataDir: DataDir, options: TaskOptions): EvaluationDispatcher {
    if (task.kind === 'tabular' || this.workers === 1) return inProcessDispatcher(evaluator, task);
    this.local ??= new LocalWorkers(this.workers);
    // The workers open the task as this process did: the same preset, never fetching.
    const { preset, engine } = evaluator.record;
    return this.local.dispatcher({
      task: task.name,
      dataDir: dataDir.path,
      options: { ...options, backend: engine.backend, ...(preset !== null ? { preset } : {}), fetch: false, threads: this.threadsPerWorker ?? 1 },
    });
  }

  async close(): Promise<void> {
    await this.local?.close();
  }
}
