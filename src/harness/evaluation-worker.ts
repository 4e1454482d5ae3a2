/**
 * A local worker process (started by LocalWorkers through workerpool): opens tasks as the run's
 * own process did and carries out evaluation jobs with its own engine and thread count. It exits
 * when its parent goes, within a training step.
 */
import { performance } from 'node:perf_hooks';
import { worker, workerEmit } from 'workerpool';
import { resolveDataDir } from '../tasks/index.js';
import { getTask } from '../tasks/index.js';
import type { Evaluation, Evaluator } from '../tasks/types.js';
import { carryOut, type EvaluationJob } from './evaluation.js';
import { targetKey, type EvaluationTarget } from './evaluation-target.js';

/** Progress crosses a process boundary: at most this often, besides a training's first and last step. */
const PROGRESS_EVERY_MS = 100;

/** The process that started this worker: when it is gone (kill -9), this one is reparented. */
const parent = process.ppid;

const opened = new Map<string, Promise<Evaluator<unknown>>>();

function open(target: EvaluationTarget): Promise<Evaluator<unknown>> {
  const key = targetKey(target);
  let evaluator = opened.get(key);
  if (evaluator === undefined) {
    evaluator = getTask(target.task).open(resolveDataDir(target.dataDir, {}), target.options);
    opened.set(key, evaluator);
  }
  return evaluator;
}

async function evaluate(target: EvaluationTarget, job: EvaluationJob): Promise<Evaluation> {
  const evaluator = await open(target);
  let last = 0;
  const onProgress = (p: { step: number; steps: number; loss: number }) => {
    // A training step is synchronous, so the IPC channel closing is noticed only between jobs:
    // checked at every step instead, an orphaned worker stops within one step.
    if (process.ppid !== parent) process.exit(1);
    const now = performance.now();
    if (p.step !== 1 && p.step !== p.steps && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    workerEmit(p);
  };
  return carryOut(evaluator, getTask(target.task), job, onProgress);
}

worker({ evaluate });
