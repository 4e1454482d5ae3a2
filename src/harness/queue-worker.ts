import { Worker } from 'bullmq';
import { fileURLToPath } from 'node:url';
import { UserError } from '../errors.js';
import { connectQueue, lockSettings, QUEUE_NAME, REFUSED, workerSettingsEnv, type QueueJobResult, type WorkerSettings } from './queue-job.js';

export interface QueueWorkerOptions {
  readonly url: string;
  readonly settings: WorkerSettings;
  /** Stops taking jobs; the evaluation in flight finishes first. */
  readonly signal: AbortSignal;
  log(line: string): void;
}

/** The sandboxed processor, compiled beside this module. */
function processorFile(): string {
  return fileURLToPath(new URL('./queue-processor.js', import.meta.url));
}

/**
 * `nasbench worker`: takes evaluation jobs from the queue one at a time until stopped, each in a
 * sandboxed child process (see queue-processor.ts), with the lock settings of lockSettings(). A
 * job it must refuse (another nasbench version, other data) fails that attempt and stops the
 * worker with a UserError saying why; the job is taken again by another worker, or becomes a
 * failed evaluation once its attempts are spent.
 */
export async function runQueueWorker(opts: QueueWorkerOptions): Promise<void> {
  const connection = await connectQueue(opts.url);
  // The sandboxed processes inherit this process's environment: that is how they get the settings.
  Object.assign(process.env, workerSettingsEnv(opts.settings));
  const worker = new Worker(QUEUE_NAME, processorFile(), { connection, concurrency: 1, useWorkerThreads: false, ...lockSettings() });
  let refusal: string | null = null;
  let lastError = '';
  const stopped = new Promise<void>((resolve) => {
    opts.signal.addEventListener('abort', () => resolve(), { once: true });
    worker.on('failed', (job, err) => {
      if (err.message.startsWith(REFUSED)) {
        refusal = err.message.slice(REFUSED.length).trim();
        resolve();
      } else opts.log(`${job?.id}: failed: ${err.message}`);
    });
  });
  worker.on('completed', (job) => {
    const { evaluation, host } = job.returnvalue as QueueJobResult;
    opts.log(`${job.id}: ${evaluation.status} on ${host} (${evaluation.device.backend}, ${evaluation.deviceSeconds.toFixed(1)} s)`);
  });
  worker.on('error', (err) => {
    // Redis going away is retried by the connection; say so once per kind of error.
    if (err.message !== lastError) opts.log(`queue: ${(lastError = err.message)}`);
  });
  opts.log(`worker taking jobs from ${opts.url}`);
  await stopped;
  await worker.close();
  connection.disconnect();
  if (refusal !== null) throw new UserError(refusal);
}
