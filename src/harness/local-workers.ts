import { availableParallelism, freemem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { TerminateError, pool, type Pool } from 'workerpool';
import type { Evaluation } from '../tasks/types.js';
import { onThisHost, type EvaluationDispatcher, type EvaluationJob, type ProgressListener } from './evaluation.js';
import type { EvaluationTarget } from './evaluation-target.js';

/**
 * What one local worker takes besides its threads: an engine, the task's data set and a child
 * being trained (a `tiny` child of PTB or Fashion-MNIST stays well under this).
 */
const MEMORY_PER_WORKER = 1024 ** 3;

/**
 * How many local workers a trained task gets by default: one per core for single-threaded
 * workers (cores ÷ threads per worker), no more than the free memory holds at a gigabyte each,
 * and at least one.
 */
export function defaultLocalWorkers(threadsPerWorker = 1): number {
  const byCores = Math.floor(availableParallelism() / threadsPerWorker);
  const byMemory = Math.floor(freemem() / MEMORY_PER_WORKER);
  return Math.max(1, Math.min(byCores, byMemory));
}

/** The compiled worker script beside this module, or the TypeScript source run through tsx (tests). */
function workerScript(): { script: string; execArgv: string[] } {
  const here = fileURLToPath(import.meta.url);
  const source = here.endsWith('.ts');
  return {
    script: here.replace(/local-workers\.(ts|js)$/, `evaluation-worker.${source ? 'ts' : 'js'}`),
    execArgv: source ? ['--import', import.meta.resolve('tsx')] : [],
  };
}

/** The one line that says why a worker process went away (workerpool's message is a report). */
function crashReason(err: Error): string {
  const signal = /signalCode: `(\w+)`/.exec(err.message)?.[1];
  const code = /exitCode: `(\d+)`/.exec(err.message)?.[1];
  if (signal && signal !== 'null') return `its worker process was killed by ${signal}`;
  if (code) return `its worker process exited with code ${code}${code === '134' ? ' (out of memory?)' : ''}`;
  return `its worker process failed: ${err.message.split('\n')[0]}`;
}

/**
 * Evaluations in child processes on this machine (workerpool, process workers), each with its own
 * engine and thread count. A worker that dies mid-evaluation (kill -9, out of memory) costs that
 * evaluation one retry on a fresh worker; if that dies too, the evaluation fails with the reason.
 */
export class LocalWorkers {
  private readonly pool: Pool;

  constructor(readonly size: number) {
    const { script, execArgv } = workerScript();
    this.pool = pool(script, { workerType: 'process', maxWorkers: size, forkOpts: { execArgv } });
  }

  dispatcher(target: EvaluationTarget): EvaluationDispatcher {
    return { evaluate: async (job, onProgress) => onThisHost(await this.evaluate(target, job, onProgress)) };
  }

  private async evaluate(target: EvaluationTarget, job: EvaluationJob, onProgress?: ProgressListener): Promise<Evaluation> {
    const once = () => this.pool.exec('evaluate', [target, job], onProgress ? { on: onProgress } : {}) as Promise<Evaluation>;
    try {
      return await once();
    } catch (err) {
      if (!(err instanceof TerminateError)) throw err;
      try {
        return await once();
      } catch (again) {
        if (!(again instanceof TerminateError)) throw again;
        throw new Error(`evaluated twice, and both times ${crashReason(again)}`);
      }
    }
  }

  /** Stops the workers (after the evaluations in flight, which the harness has awaited). */
  async close(): Promise<void> {
    await this.pool.terminate();
  }
}
