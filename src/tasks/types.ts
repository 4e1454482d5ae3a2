import type { EvalStatus, Objective, SearchSpace, TaskInfo, Tensorflow, ZeroCostKind } from '../api/index.js';
import type { TaskRecord } from '../api/task-record.js';
import type { SupernetCore } from '../engine/supernet.js';

export type { SupernetCore };
import type { DataDir } from '../data/data-dir.js';

/** Where an evaluation ran. */
export interface DeviceInfo {
  /**
   * 'gpu', 'cpu', 'none' for a table lookup, or a class with the device's name where the
   * backend reports one: 'gpu (NVIDIA GeForce RTX 4090)', 'cpu (software Vulkan, mesa: llvmpipe …)'.
   */
  readonly kind: string;
  readonly backend: string;
  readonly threads: number;
}

export interface Evaluation {
  readonly status: EvalStatus;
  readonly metrics: Readonly<Record<string, number>>;
  /** Trainable parameters of the child, when known. */
  readonly params: number | null;
  /** Training epochs the metrics correspond to. */
  readonly fidelity: number | null;
  readonly deviceSeconds: number;
  readonly device: DeviceInfo;
  readonly error?: string;
  /** What a zero-cost evaluation fed the network (its own images, or noise), in words. */
  readonly inputs?: string;
}

export interface ZeroCostJob {
  /** Seed of the network's initial weights. */
  readonly seed: number;
  /** Seed of the minibatch (the same for every cell of a run, as in the NASWOT protocol). */
  readonly inputSeed: number;
}

export interface EvalJob {
  /** Seed for everything random in this evaluation (weight init, data order). */
  readonly seed: number;
  /** Called after every training step of a trained child. */
  readonly onProgress?: (progress: { readonly step: number; readonly steps: number; readonly loss: number }) => void;
}

/** How a task is opened for one experiment. */
export interface TaskOptions {
  /** A preset name; undefined means the task's default for the device the engine resolved. */
  readonly preset?: string;
  /** May download missing data (like torchvision's download=True). */
  readonly fetch: boolean;
  /** The engine backend to resolve ('auto', 'tensorflow', 'webgpu', 'wasm' or 'cpu'); undefined: the task's default. */
  readonly backend?: string;
  /** wasm threads; undefined: one per core, or one when the machine is already busy. */
  readonly threads?: number;
  /** Use data files that differ from their known checksums (or sizes); the evaluator's config names them. */
  readonly allowUnverifiedData?: boolean;
}

export interface Evaluator<A> {
  /** What the task is and how it was opened (preset and engine resolved), stored with the experiment. */
  readonly record: TaskRecord;
  /**
   * TensorFlow.js on the engine this task was opened with (`ctx.tensorflow()`): the engine a
   * trained task has started, or, for a table lookup, started on first call.
   */
  tensorflow(): Promise<Tensorflow>;
  /**
   * The sha256 of each data file the evaluator read, by path relative to the data directory,
   * where the task computes them; recorded with the experiment, so reports keep runs on different
   * data apart.
   */
  readonly dataChecksums?: Readonly<Record<string, string>>;
  /** The evaluation a searcher sees (and pays for). */
  evaluate(arch: A, job: EvalJob): Promise<Evaluation>;
  /** The evaluation a run is judged by: never shown to the searcher, never charged to its budget. */
  finalEvaluate(arch: A, job: EvalJob): Promise<Evaluation>;
  /**
   * A zero-cost score of the untrained network (`metrics[kind]`, fidelity 0). Absent where the
   * task has no network to build.
   */
  zeroCost?(arch: A, kind: ZeroCostKind, job: ZeroCostJob): Promise<Evaluation>;
  /**
   * A fresh weight-sharing supernet over the search split, its weights and data order drawn from
   * `seed`. Absent where there is nothing to share (table lookups); throws a UserError when the
   * preset has no supernet settings.
   */
  openSupernet?(seed: number): SupernetHandle<A>;
  close(): void;
}

/** A supernet and the device its time is charged to. */
export interface SupernetHandle<A> {
  readonly core: SupernetCore<A>;
  readonly device: DeviceInfo;
}

/** A data file: its path inside the data directory (the same on every machine) and where it is here. */
export interface DataFileRef {
  readonly name: string;
  readonly path: string;
}

export interface DataStatus {
  readonly present: boolean;
  /** Files that are missing, as absolute paths. */
  readonly missing: readonly string[];
}

export interface Task<A = any> extends TaskInfo {
  readonly description: string;
  readonly space: SearchSpace<A>;
  /** The metric a run is reported by (e.g. 200-epoch test accuracy). */
  readonly result: Objective;
  readonly defaultBudget: number;
  /** Preset names the task accepts (none for tabular tasks). */
  readonly presets: readonly string[];
  /** A fixed, hand-picked architecture (canonical string) to check the training setup with. */
  readonly reference?: string;
  dataStatus(dir: DataDir): DataStatus;
  /** The files an evaluation reads, by their path inside the data directory (the data must be present). */
  dataFiles(dir: DataDir): readonly DataFileRef[];
  open(dir: DataDir, options: TaskOptions): Promise<Evaluator<A>>;
}
