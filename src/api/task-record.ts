import type { Objective, TaskInfo } from './plugin.js';

/** The reported (final) child network's shape: NAO's B (nodes per cell), N (cells per stage), F (filters) and #op. */
export interface ChildShape {
  readonly B: number | null;
  readonly N: number | null;
  readonly F: number | null;
  readonly ops: number | null;
}

/** The engine options a task was opened with (as asked for; the resolved engine is in the settings). */
export interface EngineOptions {
  /** 'auto', 'tensorflow', 'wasm' or 'cpu'. */
  readonly backend: string;
  /** wasm threads; null: one per core, or one when the machine is already busy. */
  readonly threads: number | null;
}

/**
 * What an experiment's task was, stored with the experiment: everything `report`, `show` and
 * `resume` need to know of it without this build's task registry (so that a store written by
 * another nasbench, with tasks this one does not know, still reads).
 */
export interface TaskRecord extends TaskInfo {
  /** The search space's kind (e.g. 'nb201', 'cnn-micro'). */
  readonly space: string;
  /** The metric a run is reported by (e.g. 200-epoch test accuracy). */
  readonly result: Objective;
  /** The preset the task was opened with, resolved ('tiny' rather than "the default"); null for tabular tasks. */
  readonly preset: string | null;
  /** The resolved settings: the preset's values and the engine that was resolved. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Null where children are not networks of that shape (tables, language models). */
  readonly child: ChildShape | null;
  readonly engine: EngineOptions;
  /**
   * The best reported result any cell of the space has, where the task knows it (a table: the
   * highest 200-epoch test accuracy); what a run's regret is measured from. Absent for trained
   * tasks and for records stored before it existed.
   */
  readonly optimum?: number | null;
}
