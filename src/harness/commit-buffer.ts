import { performance } from 'node:perf_hooks';
import type { Store } from '../store/store.js';
import type { EvaluationRecord } from '../store/types.js';

/**
 * Group commit for one run. An evaluation that took longer than `maxDelayMs` is committed the
 * moment it finishes; table lookups that finish microseconds apart share one transaction, at
 * most `maxDelayMs` of work apart. The latest snapshot rides in the same transaction as the
 * evaluations it has observed, so the store never holds a snapshot ahead of its evaluations;
 * evaluations past the stored snapshot are reused when resume replays the searcher up to them.
 */
export class CommitBuffer {
  private pending: EvaluationRecord[] = [];
  private snapshot: string | undefined;
  private lastFlush = performance.now();

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private readonly onCommitted: (e: EvaluationRecord) => void,
    private readonly maxDelayMs = 20,
  ) {}

  add(evaluation: EvaluationRecord): void {
    this.pending.push(evaluation);
    this.flushIfDue();
  }

  /** True when the next add or snapshot will be committed: only then is a snapshot worth taking. */
  due(): boolean {
    return performance.now() - this.lastFlush >= this.maxDelayMs;
  }

  setSnapshot(snapshot: string): void {
    this.snapshot = snapshot;
    this.flushIfDue();
  }

  private flushIfDue(): void {
    if (this.due()) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0 && this.snapshot === undefined) return;
    const committed = this.pending;
    this.store.commitProgress(this.runId, committed, this.snapshot);
    this.pending = [];
    this.snapshot = undefined;
    this.lastFlush = performance.now();
    for (const e of committed) this.onCommitted(e);
  }
}
