import { Redis } from 'ioredis';
import { UserError, errorMessage } from '../errors.js';
import type { Evaluation, TaskOptions } from '../tasks/types.js';
import type { EvaluationJob } from './evaluation.js';

/** The BullMQ queue every coordinator and worker of a Redis server shares. */
export const QUEUE_NAME = 'nasbench-evaluations';

/**
 * What a queue worker needs to carry out an evaluation, and what it must agree on with the
 * coordinator: the same nasbench and byte-identical data files (each worker reads its own data
 * directory).
 */
export interface QueueJobData {
  /** The coordinator's package version; a worker of another version refuses the job. */
  readonly version: string;
  readonly task: string;
  /** How to open the task (preset resolved); the worker's own --backend and --threads take precedence. */
  readonly options: TaskOptions;
  /** sha256 of each of the task's data files, by path inside the data directory. */
  readonly checksums: Readonly<Record<string, string>>;
  readonly job: EvaluationJob;
}

/** How a worker's refusal of a job starts (its worker prints it and stops). */
export const REFUSED = 'refused:';

/** The settings of `nasbench worker`, handed to its sandboxed processes through the environment. */
export interface WorkerSettings {
  readonly dataDir?: string;
  readonly backend?: string;
  readonly threads?: number;
}

const SETTINGS_VARIABLE = 'NASBENCH_QUEUE_WORKER';

export function workerSettings(env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  return JSON.parse(env[SETTINGS_VARIABLE] ?? '{}') as WorkerSettings;
}

export function workerSettingsEnv(settings: WorkerSettings): Record<string, string> {
  return { [SETTINGS_VARIABLE]: JSON.stringify(settings) };
}

/** What comes back: the evaluation, and where it was carried out. */
export interface QueueJobResult {
  readonly evaluation: Evaluation;
  readonly host: string;
}

/**
 * Lock settings of queue workers (BullMQ). A worker renews the lock of the job it holds every
 * lockDuration/2 from its main process (the evaluation itself runs in a sandboxed child, so a long
 * synchronous training step cannot starve the renewal). A worker killed mid-evaluation stops
 * renewing: within lockDuration its lock expires, and the next stalled-job check (every
 * stalledInterval, by any live worker) puts the job back in the queue; a job that stalls
 * `maxStalledCount` times fails. So a killed worker's job is taken again within about
 * lockDuration + stalledInterval (45 s with these defaults; NASBENCH_QUEUE_LOCK_MS sets
 * lockDuration, with stalledInterval half of it, for tests and impatient setups).
 */
export function lockSettings(env: NodeJS.ProcessEnv = process.env): { lockDuration: number; stalledInterval: number; maxStalledCount: number } {
  const lockDuration = Number(env.NASBENCH_QUEUE_LOCK_MS) || 30_000;
  return { lockDuration, stalledInterval: Math.max(1000, Math.round(lockDuration / 2)), maxStalledCount: 2 };
}

/** How long the coordinator waits for a job before checking it is still in Redis (it is lost if Redis restarted without persistence). */
export function lostJobCheckMs(env: NodeJS.ProcessEnv = process.env): number {
  return Number(env.NASBENCH_QUEUE_CHECK_MS) || 10_000;
}

/**
 * A connection to the queue's Redis, after checking that something answers there: an address
 * where nothing answers is one line, not a process retrying forever.
 */
export async function connectQueue(url: string): Promise<Redis> {
  if (!/^rediss?:\/\//.test(url)) throw new UserError(`--queue ${url}: expected a Redis URL such as redis://host:6379`);
  const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 5000, enableOfflineQueue: false });
  probe.on('error', () => {});
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    throw new UserError(`--queue ${url}: no Redis answers there (${errorMessage(err)}); start redis-server or check the host and port`);
  } finally {
    probe.disconnect();
  }
  // BullMQ needs commands to wait through a reconnection rather than fail (maxRetriesPerRequest: null).
  return new Redis(url, { maxRetriesPerRequest: null });
}
