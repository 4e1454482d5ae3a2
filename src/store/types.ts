import type { EvalStatus, ZeroCostKind } from '../api/index.js';
import type { TaskRecord } from '../api/task-record.js';

export type RunStatus = 'pending' | 'running' | 'interrupted' | 'completed' | 'failed';

export interface ExperimentSpec {
  readonly method: string;
  /** Where the plugin came from, as `formatSource` writes it (`builtin:enas`, `npm:…`, `path:…`; see method-source.ts). */
  readonly methodSource: string;
  readonly task: string;
  readonly budget: number;
  readonly params: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
  readonly taskRecord: TaskRecord;
  readonly codeVersion: string;
  readonly seeds: readonly number[];
  /** sha256 of the plugin's own files (null: not known). */
  readonly pluginHash?: string | null;
  /** sha256 of each data file the task read, by path relative to the data directory (null: not recorded). */
  readonly dataChecksums?: Readonly<Record<string, string>> | null;
}

/** An experiment stored before task records existed, with what its record can be derived from. */
export interface UnrecordedExperiment {
  readonly id: number;
  readonly task: string;
  readonly config: Readonly<Record<string, unknown>>;
  /** Names of the metrics its runs' final evaluations recorded. */
  readonly finalMetricKeys: ReadonlySet<string>;
}

export interface RunRecord {
  readonly id: number;
  readonly experimentId: number;
  readonly method: string;
  readonly methodSource: string;
  readonly task: string;
  readonly budget: number;
  readonly params: Record<string, unknown>;
  readonly config: Record<string, unknown>;
  readonly taskRecord: TaskRecord;
  readonly codeVersion: string;
  readonly seed: number;
  readonly status: RunStatus;
  readonly error: string | null;
  readonly snapshot: string | null;
  readonly owner: string | null;
  readonly finalArch: string | null;
  readonly finalOrdinal: number | null;
  readonly finalValue: number | null;
  readonly finalMetrics: Record<string, number> | null;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly evaluations: number;
  /** Device seconds of the run: its evaluations, its supernet's work and its final evaluation. */
  readonly deviceSeconds: number;
  /** Of which the supernet's work (weight sharing). */
  readonly supernetSeconds: number;
  /** The searcher's own wall and process-CPU seconds apart from evaluations (null: stored before they were measured). */
  readonly searcherSeconds: number | null;
  readonly searcherCpuSeconds: number | null;
  /**
   * Wall-clock seconds the run was being executed, summed over the sessions that executed it
   * (each up to its last commit); null for runs stored before it was recorded.
   */
  readonly wallSeconds: number | null;
}

/** One worker (host, backend, device kind) and what it did for a run: search and final evaluations. */
export interface WorkerUsage {
  /** null: not recorded (stored before hosts were). */
  readonly host: string | null;
  readonly backend: string;
  readonly deviceKind: string;
  readonly evaluations: number;
  readonly deviceSeconds: number;
}

export interface EvaluationRecord {
  readonly runId: number;
  readonly ordinal: number;
  readonly arch: string;
  readonly archHash: string;
  readonly status: EvalStatus;
  readonly value: number | null;
  readonly metrics: Record<string, number>;
  readonly params: number | null;
  readonly fidelity: number | null;
  readonly deviceSeconds: number;
  readonly deviceKind: string;
  readonly backend: string;
  readonly threads: number;
  readonly error: string | null;
  readonly startedAt: string;
  readonly finishedAt: string;
  /** The host of the process that carried it out (null: not carried out, or not recorded). */
  readonly host?: string | null;
  /** 'objective' (the default): the task's search objective; else the zero-cost score it is (value null, the score in metrics). */
  readonly kind?: EvaluationKind;
  /** What a zero-cost evaluation fed the network (null otherwise). */
  readonly inputs?: string | null;
}

export type EvaluationKind = 'objective' | ZeroCostKind;

export interface RunOutcome {
  readonly arch: string;
  readonly archHash: string;
  /** Ordinal of the evaluation that found it, when it was one of the run's evaluations. */
  readonly ordinal: number | null;
  readonly value: number | null;
  readonly metrics: Record<string, number>;
  readonly deviceSeconds: number;
  /** Where the final evaluation ran (host null: not recorded). */
  readonly host: string | null;
  readonly backend: string;
  readonly deviceKind: string;
}

/** Device time a run's supernet spent at one point of the search on one kind of device. */
export interface SupernetUsage {
  /** Evaluations the searcher had been driven past when the work was done. */
  readonly evaluationsSeen: number;
  readonly deviceKind: string;
  readonly seconds: number;
  readonly trainSteps: number;
  /** Validation minibatches scored. */
  readonly scoreBatches: number;
}

export interface DiagnosticRecord {
  readonly evaluationsSeen: number;
  readonly kind: string;
  readonly data: unknown;
  readonly createdAt: string;
}
