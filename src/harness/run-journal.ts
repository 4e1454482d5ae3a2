import type { Store } from '../store/store.js';
import type { EvaluationRecord, RunOutcome, RunRecord, SupernetUsage } from '../store/types.js';
import { CommitBuffer, WallClock } from './commit-buffer.js';
import type { RunResult } from './run-types.js';

/**
 * Everything one run writes to the store goes through here, and so through the store's error
 * wrapping: its evaluations (group-committed, see CommitBuffer, in whatever order they finish),
 * its snapshots, supernet charges, diagnostics, and how it ended. It also knows which ordinals are
 * stored already, which is what lets a batch of evaluations be in flight at once and a resume
 * reuse them.
 */
export class RunJournal {
  private readonly evaluated: Map<number, EvaluationRecord>;
  private readonly commits: CommitBuffer;
  private readonly wall = new WallClock();

  constructor(
    private readonly store: Store,
    readonly run: RunRecord,
    onCommitted: (e: EvaluationRecord) => void,
    commitIntervalMs?: number,
  ) {
    this.evaluated = new Map(store.evaluations(run.id).map((e) => [e.ordinal, e]));
    this.commits = new CommitBuffer(store, run.id, onCommitted, this.wall, commitIntervalMs);
  }

  /** The stored (or just finished) evaluation with this ordinal. */
  stored(ordinal: number): EvaluationRecord | undefined {
    return this.evaluated.get(ordinal);
  }

  /** Every evaluation of the run, by ordinal. */
  evaluations(): EvaluationRecord[] {
    return [...this.evaluated.values()].sort((a, b) => a.ordinal - b.ordinal);
  }

  get size(): number {
    return this.evaluated.size;
  }

  /** A finished evaluation; a second one for an ordinal (a result delivered twice) is dropped, the first kept. */
  add(evaluation: EvaluationRecord): void {
    if (this.evaluated.has(evaluation.ordinal)) return;
    this.commits.add(evaluation);
    this.evaluated.set(evaluation.ordinal, evaluation);
  }

  charge(usage: SupernetUsage): void {
    this.commits.charge(usage);
  }

  /** True when a snapshot set now would be committed at once: only then is one worth taking. */
  snapshotDue(): boolean {
    return this.commits.due();
  }

  snapshot(snapshot: string): void {
    this.commits.setSnapshot(snapshot);
  }

  flush(): void {
    this.commits.flush();
  }

  /** A plugin's `ctx.record`, placed at the number of evaluations known so far. */
  record(kind: string, data: unknown): void {
    this.store.recordDiagnostic(this.run.id, this.evaluated.size, kind, data);
  }

  stop(status: 'interrupted' | 'failed', error: string | null = null): RunResult {
    this.flush();
    this.store.setRunStatus(this.run.id, status, error, this.wall.take());
    return status === 'failed' ? { status, error: error as string } : { status };
  }

  complete(outcome: RunOutcome): void {
    this.store.completeRun(this.run.id, outcome, this.wall.take());
  }
}
