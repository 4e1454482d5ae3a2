import { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import type { TaskOptions } from '../tasks/types.js';
import type { EvaluationDispatcher, ProgressListener, WorkerEvaluation } from './evaluation.js';
import { connectQueue, lostJobCheckMs, QUEUE_NAME, type QueueJobData, type QueueJobResult } from './queue-job.js';

interface Waiting {
  readonly resolve: (result: QueueJobResult) => void;
  readonly reject: (err: Error) => void;
  readonly onProgress?: ProgressListener;
}

const parsed = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

/**
 * The coordinator's side of a BullMQ queue: evaluations become jobs that `nasbench worker`
 * processes take, wherever they run. The coordinator stays the only writer of the store.
 *
 * Job ids are the evaluations' stable names (experiment, run, ordinal): adding a job that exists
 * is a no-op, so re-adding after a coordinator crash is safe, and a job completed before the crash
 * is read back rather than waited for. Redis restarted without persistence loses waiting and
 * active jobs without any event: every `lostJobCheckMs` the coordinator checks that each job it
 * waits for still exists, and adds it again when it does not.
 */
export class QueueCoordinator {
  private readonly waiting = new Map<string, Waiting>();

  private constructor(
    private readonly connection: Redis,
    private readonly queue: Queue,
    private readonly events: QueueEvents,
    private readonly eventsConnection: Redis,
    readonly url: string,
  ) {
    events.on('completed', ({ jobId, returnvalue }) => this.settle(jobId, (w) => w.resolve(parsed<QueueJobResult>(returnvalue))));
    events.on('failed', ({ jobId, failedReason }) => void this.failed(jobId, failedReason));
    events.on('progress', ({ jobId, data }) => this.waiting.get(jobId)?.onProgress?.(data as never));
  }

  static async connect(url: string): Promise<QueueCoordinator> {
    const connection = await connectQueue(url);
    const queue = new Queue(QUEUE_NAME, { connection });
    const eventsConnection = connection.duplicate();
    const events = new QueueEvents(QUEUE_NAME, { connection: eventsConnection });
    // Errors while Redis is away are retried by ioredis; a job's own failure arrives as an event.
    queue.on('error', () => {});
    events.on('error', () => {});
    await events.waitUntilReady();
    return new QueueCoordinator(connection, queue, events, eventsConnection, url);
  }

  dispatcher(task: string, options: TaskOptions, checksums: Readonly<Record<string, string>>, version: string): EvaluationDispatcher {
    return { evaluate: (job, onProgress) => this.evaluate({ version, task, options, checksums, job }, onProgress) };
  }

  private settle(jobId: string, how: (w: Waiting) => void): void {
    const w = this.waiting.get(jobId);
    if (w === undefined) return;
    this.waiting.delete(jobId);
    how(w);
  }

  /** A 'failed' event is final only when the job is in the failed set (not when an attempt is retried). */
  private async failed(jobId: string, reason: string): Promise<void> {
    if (!this.waiting.has(jobId)) return;
    const job = await Job.fromId(this.queue, jobId);
    if (job && (await job.getState()) === 'failed') this.settle(jobId, (w) => w.reject(new Error(job.failedReason || reason)));
  }

  private async evaluate(data: QueueJobData, onProgress?: ProgressListener): Promise<WorkerEvaluation> {
    const id = data.job.id;
    const done = new Promise<QueueJobResult>((resolve, reject) => this.waiting.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) }));
    const check = setInterval(() => void this.ensure(data).catch(() => {}), lostJobCheckMs());
    try {
      await this.ensure(data);
      const { evaluation, host } = await done;
      return { ...evaluation, host };
    } finally {
      clearInterval(check);
      this.waiting.delete(id);
    }
  }

  /** Adds the job unless Redis has it; settles at once when it has already finished. */
  private async ensure(data: QueueJobData): Promise<void> {
    const id = data.job.id;
    let job = await Job.fromId<QueueJobData, QueueJobResult>(this.queue, id);
    if (job === undefined) {
      job = await this.queue.add('evaluate', data, { jobId: id, attempts: 2, removeOnComplete: false, removeOnFail: false });
    }
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return;
    // Read the finished job afresh: the copy above may predate its result.
    const finished = await Job.fromId<QueueJobData, QueueJobResult>(this.queue, id);
    if (finished === undefined) return;
    if (state === 'completed') this.settle(id, (w) => w.resolve(parsed<QueueJobResult>(finished.returnvalue)));
    else this.settle(id, (w) => w.reject(new Error(finished.failedReason)));
  }

  async close(): Promise<void> {
    // The events connection blocks reading the event stream: close it rather than wait for a read to end.
    this.eventsConnection.disconnect();
    await this.events.close().catch(() => {});
    await this.queue.close();
    this.connection.disconnect();
  }
}

