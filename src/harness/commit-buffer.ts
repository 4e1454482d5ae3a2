import { performance } from 'node:perf_hooks';
import type { Store } from '../store/store.js';
import type { EvaluationRecord, SupernetUsage } from '../store/types.js';

/** Longest supernet work is held uncommitted while no evaluation or snapshot is due. */
const CHARGE_INTERVAL_MS = 1000;

/**
 * Group commit for one run. An evaluation that took longer than `maxDelayMs` is committed the
 * moment it finishes; table lookups that finish microseconds apart share one transaction, at
 * most `maxDelayMs` of work apart. The latest snapshot rides in the same transaction as the
 * evaluations it has observed, so the store never holds a snapshot ahead of its evaluations;
 * evaluations past the stored snapshot are reused when resume replays the searcher up to them.
 * Supernet work rides with the next commit, or is committed alone within a second; either way it
 * leaves the group-commit clock alone, so a searcher whose time goes into its supernet still gets
 * its snapshots taken. Every commit also adds the wall-clock time since the previous one to the
 * run's (see WallClock). A result the store already holds for its ordinal (delivered twice) is
 * dropped by the store and not passed on.
 */
export class CommitBuffer {
  private pending: EvaluationRecord[] = [];
  private snapshot: string | undefined;
  private lastFlush = performance.now();
  private charges = new Map<string, SupernetUsage>();
  private lastCharge = performance.now();

  constructor(
    private readonly store: Store,
    private readonly runId: number,
    private readonly onCommitted: (e: EvaluationRecord) => void,
    private readonly wall: WallClock,
    private readonly maxDelayMs = 20,
  ) {}

  add(evaluation: EvaluationRecord): void {
    this.pending.push(evaluation);
    this.flushIfDue();
  }

  /** Supernet work to charge to the run (summed per point of the search and device kind until committed). */
  charge(usage: SupernetUsage): void {
    const key = `${usage.evaluationsSeen}\n${usage.deviceKind}`;
    const held = this.charges.get(key);
    this.charges.set(
      key,
      held === undefined
        ? usage
        : { ...held, seconds: held.seconds + usage.seconds, trainSteps: held.trainSteps + usage.trainSteps, scoreBatches: held.scoreBatches + usage.scoreBatches },
    );
    if (performance.now() - this.lastCharge >= CHARGE_INTERVAL_MS) this.store.commitProgress(this.runId, [], undefined, this.takeCharges(), this.wall.take());
  }

  private takeCharges(): SupernetUsage[] {
    const taken = [...this.charges.values()];
    this.charges = new Map();
    this.lastCharge = performance.now();
    return taken;
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
    if (this.pending.length === 0 && this.snapshot === undefined && this.charges.size === 0) return;
    const committed = this.store.commitProgress(this.runId, this.pending, this.snapshot, this.takeCharges(), this.wall.take());
    this.pending = [];
    this.snapshot = undefined;
    this.lastFlush = performance.now();
    for (const e of committed) this.onCommitted(e);
  }
}

/**
 * The wall-clock time of one session of a run (from when this process started executing it),
 * handed out in pieces as it is committed: a run's stored wall time is the sum over its sessions,
 * each up to its last commit, so a session killed mid-evaluation adds nothing for the work it lost.
 */
export class WallClock {
  private mark = performance.now();

  /** Seconds since the previous take (or the session's start). */
  take(): number {
    const now = performance.now();
    const seconds = (now - this.mark) / 1000;
    this.mark = now;
    return seconds;
  }
}
