import { hostname } from 'node:os';
import pLimit, { type LimitFunction } from 'p-limit';
import { errorMessage } from '../errors.js';
import type { ZeroCostKind } from '../api/index.js';
import type { EvaluationKind, EvaluationRecord, RunRecord } from '../store/types.js';
import type { Evaluation, Evaluator, Task } from '../tasks/types.js';
import { judgeEvaluation } from './evaluation-outcome.js';
import type { Proposal } from './run-types.js';

/** One evaluation to carry out: everything a process that has the task open needs to do it. */
export interface EvaluationJob {
  /** A stable name for this evaluation, from (experiment, run, ordinal): the same on every resume. */
  readonly id: string;
  /** 'search': seen by the searcher and charged; 'final': the run's reporting evaluation. */
  readonly phase: 'search' | 'final';
  /** The evaluation's ordinal in its run (search phase only). */
  readonly ordinal: number | null;
  /** The architecture as its space's canonical string. */
  readonly arch: string;
  /** Seed of everything random in the evaluation (derived from the run's seed and the ordinal). */
  readonly seed: number;
  /** Present for a zero-cost evaluation: which score, and the seed of the run's minibatch. */
  readonly zeroCost?: { readonly kind: ZeroCostKind; readonly inputSeed: number };
}

/**
 * The stable name of a run's evaluation (its ordinal), or of its final evaluation: the same on
 * every resume of the run, and different for a run of another database that happens to have the
 * same ids (the moment the run first started is part of it).
 */
export function evaluationId(run: RunRecord, ordinal: number | null): string {
  const started = run.startedAt === null ? 'new' : Date.parse(run.startedAt).toString(36);
  return `e${run.experimentId}-r${run.id}-${started}-${ordinal === null ? 'final' : `o${ordinal}`}`;
}

export type ProgressListener = (progress: { readonly step: number; readonly steps: number; readonly loss: number }) => void;

/** An evaluation's outcome and the host of the process that carried it out. */
export type WorkerEvaluation = Evaluation & { readonly host: string };

/**
 * Where evaluations are carried out: in this process, in local worker processes, or by workers
 * taking jobs from a queue. It resolves with the evaluation's outcome, or rejects when the
 * evaluation could not be carried out (the run records that as a failed evaluation).
 */
export interface EvaluationDispatcher {
  evaluate(job: EvaluationJob, onProgress?: ProgressListener): Promise<WorkerEvaluation>;
}

/** An evaluation carried out on this machine (in this process or a local worker). */
export function onThisHost(evaluation: Evaluation): WorkerEvaluation {
  return { ...evaluation, host: hostname() };
}

/** How many evaluations may be in flight at once (shared by all runs of an experiment), first come first served. */
export type EvaluationSlots = LimitFunction;

export function evaluationSlots(count: number): EvaluationSlots {
  return pLimit(count);
}

/** The task opened in this process evaluates: the default, and the right choice for table lookups. */
export function inProcessDispatcher(evaluator: Evaluator<unknown>, task: Task): EvaluationDispatcher {
  return { evaluate: async (job, onProgress) => onThisHost(await carryOut(evaluator, task, job, onProgress)) };
}

/** Carries out one job with a task opened in this process: a search, final or zero-cost evaluation. */
export function carryOut(evaluator: Evaluator<unknown>, task: Task, job: EvaluationJob, onProgress?: ProgressListener): Promise<Evaluation> {
  const arch = task.space.parse(job.arch);
  if (job.zeroCost) {
    if (!evaluator.zeroCost) return Promise.reject(new Error(`task ${task.name} has no network to score: ${ZERO_COST_UNSUPPORTED}`));
    return evaluator.zeroCost(arch, job.zeroCost.kind, { seed: job.seed, inputSeed: job.zeroCost.inputSeed });
  }
  const options = { seed: job.seed, ...(onProgress ? { onProgress } : {}) };
  return job.phase === 'search' ? evaluator.evaluate(arch, options) : evaluator.finalEvaluate(arch, options);
}

/** What the store keeps of a search evaluation: its outcome, or the reason it could not be carried out. */
export function evaluationRecord(
  task: Task,
  run: RunRecord,
  proposal: Proposal,
  startedAt: string,
  outcome: { readonly evaluation: WorkerEvaluation } | { readonly error: unknown },
  kind: EvaluationKind = 'objective',
): EvaluationRecord {
  const base = { runId: run.id, ordinal: proposal.ordinal, arch: proposal.text, archHash: task.space.hash(proposal.arch), startedAt, kind };
  if ('error' in outcome) {
    return {
      ...base,
      status: 'failed',
      value: null,
      metrics: {},
      params: null,
      fidelity: null,
      deviceSeconds: 0,
      deviceKind: 'none',
      backend: 'none',
      threads: 0,
      error: errorMessage(outcome.error),
      finishedAt: new Date().toISOString(),
      host: null,
    };
  }
  const e = outcome.evaluation;
  const judged = kind === 'objective' ? judgeEvaluation(e, task.objective.metric) : judgeZeroCost(e, kind);
  return {
    ...base,
    ...judged,
    metrics: { ...e.metrics },
    params: e.params,
    fidelity: e.fidelity,
    deviceSeconds: e.deviceSeconds,
    deviceKind: e.device.kind,
    backend: e.device.backend,
    threads: e.device.threads,
    finishedAt: new Date().toISOString(),
    host: e.host,
  };
}

/** Zero-cost evaluations share the run's ordinals and budget but measure no objective: value null, the score in metrics. */
function judgeZeroCost(e: Evaluation, kind: ZeroCostKind): Pick<EvaluationRecord, 'status' | 'value' | 'error' | 'inputs'> {
  const score = e.status === 'ok' ? e.metrics[kind] : undefined;
  const ok = score !== undefined && Number.isFinite(score);
  return {
    status: ok ? 'ok' : 'failed',
    value: null,
    error: ok ? null : (e.error ?? `zero-cost evaluation has no finite '${kind}' score`),
    inputs: e.inputs ?? null,
  };
}

/** Why a task cannot score cells without training them. */
export const ZERO_COST_UNSUPPORTED = 'zero-cost scores need a task whose network the engine builds (the nb201 tasks)';
