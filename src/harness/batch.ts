import { performance } from 'node:perf_hooks';
import type { ZeroCostKind } from '../api/index.js';
import type { EvaluationKind, EvaluationRecord } from '../store/types.js';
import type { Evaluation, Task } from '../tasks/types.js';
import { EventLoopTurns } from './event-loop-turns.js';
import { evaluationId, evaluationRecord, type EvaluationDispatcher, type EvaluationJob, type EvaluationSlots, type ProgressListener, type WorkerEvaluation } from './evaluation.js';
import type { RunJournal } from './run-journal.js';
import type { ChildProgress, Proposal, RunHooks } from './run-types.js';
import { runSeeds, seedDerivationOf } from './seeds.js';

/** How a run has its evaluations carried out. */
export interface RunEvaluations {
  readonly task: Task;
  readonly journal: RunJournal;
  readonly dispatcher: EvaluationDispatcher;
  readonly slots: EvaluationSlots;
  readonly hooks: RunHooks;
}


/**
 * Carries out the evaluations of a run: a batch's proposals concurrently (as many at once as the
 * shared slots allow, first come first served), each committed the moment it finishes, whatever
 * the order. The searcher observes them afterwards in ordinal order, so the order they finish in
 * never shows in the run.
 */
export class BatchEvaluator {
  private readonly turns = new EventLoopTurns();

  constructor(private readonly r: RunEvaluations) {}

  /**
   * Evaluates proposals that are not stored yet. Returns false when the run was interrupted before
   * all of them started (those that did start are finished and committed first).
   */
  async evaluate(proposals: readonly Proposal[]): Promise<boolean> {
    let broken = false;
    let skipped = false;
    const one = async (proposal: Proposal): Promise<void> => {
      await this.turns.maybeYield();
      if (broken || this.r.hooks.signal?.aborted) {
        skipped = true;
        return;
      }
      const record = await this.searchEvaluation(proposal);
      try {
        this.r.journal.add(record);
      } catch (err) {
        // Nothing more starts once the store (or a hook) has failed: the run ends here.
        broken = true;
        throw err;
      }
    };
    const settled = await Promise.allSettled(proposals.map((p) => this.r.slots(one, p)));
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) throw failure.reason;
    return !skipped;
  }

  /** The run's reporting evaluation of its chosen cell (never shown to the searcher). */
  final(arch: string): Promise<WorkerEvaluation> {
    const run = this.r.journal.run;
    const job = { id: evaluationId(run, null), phase: 'final', ordinal: null, arch, seed: runSeeds(run.seed, seedDerivationOf(run.config)).final() } as const;
    return this.r.slots(() => this.r.dispatcher.evaluate(job, this.progress('final', null)));
  }

  /** A zero-cost evaluation asked for by the searcher (ctx.zeroCost), with the run's minibatch seed. */
  zeroCost(proposal: Proposal, kind: ZeroCostKind): Promise<EvaluationRecord> {
    return this.r.slots(() => this.searchEvaluation(proposal, kind));
  }

  private async searchEvaluation(proposal: Proposal, kind: EvaluationKind = 'objective'): Promise<EvaluationRecord> {
    const { task, journal, dispatcher } = this.r;
    const run = journal.run;
    const seeds = runSeeds(run.seed, seedDerivationOf(run.config));
    const job: EvaluationJob = {
      id: evaluationId(run, proposal.ordinal),
      phase: 'search',
      ordinal: proposal.ordinal,
      arch: proposal.text,
      seed: seeds.evaluation(proposal.ordinal),
      ...(kind === 'objective' ? {} : { zeroCost: { kind, inputSeed: seeds.zeroCostInput() } }),
    };
    const startedAt = new Date().toISOString();
    try {
      const evaluation = await dispatcher.evaluate(job, this.progress('search', proposal.ordinal));
      return evaluationRecord(task, run, proposal, startedAt, { evaluation }, kind);
    } catch (error) {
      return evaluationRecord(task, run, proposal, startedAt, { error }, kind);
    }
  }

  private progress(phase: ChildProgress['phase'], ordinal: number | null): ProgressListener | undefined {
    const { onChildProgress } = this.r.hooks;
    const run = this.r.journal.run;
    return onChildProgress && ((p) => onChildProgress({ phase, ordinal, ...p }, run));
  }
}
