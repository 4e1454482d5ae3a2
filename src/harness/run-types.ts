import type { Arch, Json, SearcherPlugin } from '../api/index.js';
import type { EvaluationRecord, RunRecord } from '../store/types.js';
import type { Evaluator, Task } from '../tasks/types.js';
import type { EvaluationDispatcher, EvaluationSlots } from './evaluation.js';

/** Taken after a propose when it will be committed right away: enough to continue exactly from there. */
export interface HarnessSnapshot {
  readonly rng: number[];
  readonly searcher: Json;
  /** The batch just proposed: canonical strings, evaluated as ordinals first, first+1, … */
  readonly batch: ProposedBatch;
}

export interface ProposedBatch {
  readonly first: number;
  readonly archs: readonly string[];
}

export interface RunHooks {
  /** Checked before each evaluation starts: when aborted, the run stops after the evaluations in flight. */
  readonly signal?: AbortSignal;
  /** Longest a single plugin call (create, propose, observe, …) may take. */
  readonly callTimeoutMs?: number;
  /** Longest stretch of finished evaluations held before committing them together (default 20 ms). */
  readonly commitIntervalMs?: number;
  onEvaluation?(evaluation: EvaluationRecord, run: RunRecord): void;
  /** Training steps of a trained child: a search evaluation (its ordinal) or the run's final one. */
  onChildProgress?(progress: ChildProgress, run: RunRecord): void;
  log?(message: string): void;
  /** A plugin fault that fails a run (its `cause` is what the plugin threw, with its stack). */
  onPluginFault?(fault: PluginFault, run: RunRecord): void;
}

export interface ChildProgress {
  readonly phase: 'search' | 'final';
  /** The evaluation's ordinal (search phase only). */
  readonly ordinal: number | null;
  readonly step: number;
  readonly steps: number;
  readonly loss: number;
}

export type RunResult =
  | { readonly status: 'completed'; readonly finalValue: number | null; readonly arch: string }
  | { readonly status: 'interrupted' }
  | { readonly status: 'failed'; readonly error: string };

export interface RunDeps {
  readonly plugin: SearcherPlugin;
  readonly task: Task;
  /** The task opened in this process: its supernet, and its evaluations unless `dispatcher` says otherwise. */
  readonly evaluator: Evaluator<unknown>;
  readonly params: Readonly<Record<string, unknown>>;
  /** Where evaluations run (default: `evaluator`, in this process). */
  readonly dispatcher?: EvaluationDispatcher;
  /** How many evaluations may be in flight, shared by the runs of an experiment (default: one). */
  readonly slots?: EvaluationSlots;
}

/** A fault of the plugin (as opposed to the harness or the store): it fails the run, never the process. */
export class PluginFault extends Error {}

/** Ctrl-C (the run's abort signal) noticed inside a plugin call, at a zero-cost request: the run stops as interrupted. */
export class RunInterrupted extends Error {}

/** A parsed architecture the plugin sees, with its canonical string. */
export interface Proposal {
  readonly ordinal: number;
  readonly text: string;
  readonly arch: Arch;
}
