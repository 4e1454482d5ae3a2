/**
 * The sandboxed processor of `nasbench worker` (BullMQ runs it in a child process, so a long
 * synchronous training step cannot keep the worker from renewing its job's lock). It opens each
 * task once, as the job describes it, with this worker's data directory, backend and threads;
 * refuses a job from another nasbench version or whose data checksums differ from this machine's;
 * and exits when the worker process goes.
 */
import type { SandboxedJob } from 'bullmq';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { resolveDataDir } from '../tasks/index.js';
import { dataChecksums } from '../tasks/data-files.js';
import { getTask } from '../tasks/index.js';
import type { Evaluator } from '../tasks/types.js';
import { carryOut } from './evaluation.js';
import { getPackageVersion } from './package-root.js';
import { REFUSED, workerSettings, type QueueJobData, type QueueJobResult } from './queue-job.js';

const PROGRESS_EVERY_MS = 500;

// BullMQ leaves a sandbox running when its worker is killed: follow the parent instead.
const parent = process.ppid;
const orphaned = () => process.ppid !== parent;
process.on('disconnect', () => process.exit(1));
setInterval(() => orphaned() && process.exit(1), 1000).unref();

const settings = workerSettings();
const dataDir = resolveDataDir(settings.dataDir);
const opened = new Map<string, Promise<{ evaluator: Evaluator<unknown>; checksums: Record<string, string> }>>();

function open(data: QueueJobData) {
  const options = { ...data.options, fetch: false, ...(settings.backend ? { backend: settings.backend } : {}), ...(settings.threads ? { threads: settings.threads } : {}) };
  const key = JSON.stringify([data.task, options]);
  let entry = opened.get(key);
  if (entry === undefined) {
    const task = getTask(data.task);
    entry = (async () => ({ checksums: await dataChecksums(task, dataDir), evaluator: await task.open(dataDir, options) }))();
    opened.set(key, entry);
    entry.catch(() => opened.delete(key));
  }
  return entry;
}

export default async function evaluate(job: SandboxedJob<QueueJobData, QueueJobResult>): Promise<QueueJobResult> {
  const data = job.data;
  const version = getPackageVersion();
  if (data.version !== version) {
    throw new Error(`${REFUSED} job ${job.id} comes from ${data.version}, this worker is ${version}: run one version on the coordinator and every worker`);
  }
  const task = getTask(data.task);
  const { evaluator, checksums } = await open(data);
  const differing = Object.keys(data.checksums).filter((name) => checksums[name] !== data.checksums[name]);
  if (differing.length > 0) {
    throw new Error(`${REFUSED} job ${job.id}: this worker's data differ from the coordinator's (${differing.join(', ')} under ${dataDir.path})`);
  }
  let last = 0;
  const onProgress = (p: { step: number; steps: number; loss: number }) => {
    if (orphaned()) process.exit(1);
    const now = performance.now();
    if (p.step !== 1 && p.step !== p.steps && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    void job.updateProgress(p).catch(() => {});
  };
  return { evaluation: await carryOut(evaluator, task, data.job, onProgress), host: hostname() };
}
