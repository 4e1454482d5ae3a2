import { UserError } from '../errors.js';
import type { DataDir } from '../tasks/index.js';
import type { Evaluator, Task, TaskOptions } from '../tasks/types.js';
import { evaluationSlots, inProcessDispatcher, type EvaluationDispatcher, type EvaluationSlots } from './evaluation.js';
import { defaultLocalWorkers, LocalWorkers } from './local-workers.js';
import { getPackageVersion } from './package-root.js';
import { QueueCoordinator } from './queue-coordinator.js';
import { dataChecksums } from '../tasks/data-files.js';

/** More evaluations in flight than this is a typo, not a machine. */
export const MAX_WORKERS = 256;

/** Jobs in flight on a queue when --workers does not say: enough to keep a few dozen workers busy. */
const DEFAULT_QUEUE_JOBS = 32;

export interface ExecutionRequest {
  /** Evaluations in flight at once (and runs executed at once); undefined: the default for the tasks. */
  readonly workers?: number;
  /** A Redis URL: evaluations become BullMQ jobs that `nasbench worker` processes take. */
  readonly queue?: string;
}

/**
 * How an experiment's evaluations are carried out: how many at once (shared by its runs, several
 * of which execute at once when there are slots for them), and where. Table lookups stay in this
 * process: a lookup is faster than any hand-off. A trained task with more than one worker has its
 * children trained in local worker processes, single-threaded unless `--threads` says otherwise;
 * by default as many as the cores and memory allow (see defaultLocalWorkers). With a queue, every
 * evaluation becomes a job for `nasbench worker` processes, wherever they run (QueueCoordinator).
 */
export class Execution {
  readonly slots: EvaluationSlots;
  private local: LocalWorkers | null = null;

  private constructor(
    readonly workers: number,
    private readonly threadsPerWorker: number | undefined,
    private readonly queue: QueueCoordinator | null,
  ) {
    this.slots = evaluationSlots(workers);
  }

  /** Checks the request (a queue URL must answer) before anything is stored. */
  static async plan(tasks: readonly Task[], request: ExecutionRequest, threads?: number): Promise<Execution> {
    const { workers } = request;
    if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS)) {
      throw new UserError(`--workers ${workers}: expected a whole number of evaluations in flight from 1 to ${MAX_WORKERS}`);
    }
    if (request.queue !== undefined) return new Execution(workers ?? DEFAULT_QUEUE_JOBS, threads, await QueueCoordinator.connect(request.queue));
    const trained = tasks.some((t) => t.kind !== 'tabular');
    return new Execution(workers ?? (trained ? defaultLocalWorkers(threads ?? 1) : 1), threads, null);
  }

  /** Where the evaluations of a task opened with `options` run. */
  async dispatcher(task: Task, evaluator: Evaluator<unknown>, dataDir: DataDir, options: TaskOptions): Promise<EvaluationDispatcher> {
    if (this.queue !== null) {
      // Each worker reads its own data directory and picks its own engine: the job says which
      // preset, and which data files (by checksum) the results must come from.
      const { preset } = evaluator.record;
      const jobOptions = { ...options, ...(preset !== null ? { preset } : {}), fetch: false };
      return this.queue.dispatcher(task.name, jobOptions, await dataChecksums(task, dataDir), getPackageVersion());
    }
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
    await this.queue?.close();
  }
}
