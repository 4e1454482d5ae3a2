import type * as TensorflowModule from '@tensorflow/tfjs-core';
import type { ParamSpecs, ParamValues } from './params.js';
import type { Rng } from './rng.js';
import type { Arch, SearchSpace } from './space.js';
import type { Supernet } from './supernet.js';
import type { ZeroCostKind } from './zero-cost.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type EvalStatus = 'ok' | 'failed' | 'diverged';

/** What the search is steered by: one metric of an evaluation and its direction. */
export interface Objective {
  readonly metric: string;
  readonly goal: 'max' | 'min';
  readonly label: string;
}

export interface TaskInfo {
  readonly name: string;
  readonly kind: 'tabular' | 'image' | 'text';
  /** The metric a searcher may see (e.g. 12-epoch validation accuracy on NAS-Bench-201). */
  readonly objective: Objective;
}

/** One evaluated architecture, as a searcher sees it. */
export interface Observation<A = Arch> {
  readonly arch: A;
  /** Position of this evaluation in the run (0-based). */
  readonly ordinal: number;
  readonly status: EvalStatus;
  /** The objective oriented so that higher is better (the metric, or its negation for 'min'); null unless ok. */
  readonly score: number | null;
  readonly metrics: Readonly<Record<string, number>>;
}

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
}

export interface SearchContext<V = Readonly<Record<string, unknown>>> {
  readonly space: SearchSpace<Arch>;
  /** Seeded from the run's seed; restored on resume. The only randomness a searcher may use. */
  readonly rng: Rng;
  readonly params: V;
  readonly task: TaskInfo;
  /** Number of evaluations the run may spend. */
  readonly budget: number;
  readonly log: Logger;
  /** Stores a diagnostic record for this run (shown by `nasbench show`). */
  record(kind: string, data: Json): void;
  /**
   * TensorFlow.js on the backend the engine resolved (tfjs-node-gpu, tfjs-node, wasm or cpu), with
   * every gradient registered, for methods that train models of their own (NAO's encoder-decoder,
   * an RL controller). Loaded on first call; a method that never calls it never loads tfjs.
   */
  tensorflow(): Promise<Tensorflow>;
  /**
   * The task's weight-sharing supernet (image and text tasks), created from the run's seed on
   * first call; later calls return the same one. Its device time is charged to the run. Rejects
   * for tabular tasks, which have no network to share.
   */
  supernet(): Promise<Supernet>;
  /**
   * A zero-cost score of `arch` (its untrained network built by the task's engine): one evaluation
   * of the run, charged to the budget like any other and stored with its device time and the
   * inputs it used (the task's own images where it has them, Gaussian noise otherwise). Resolves
   * to the score, or null when it could not be computed (e.g. a singular NASWOT kernel); it is
   * never shown to `observe` and never counts as the run's result. Rejects when the budget is
   * spent or the task has no network to score.
   */
  zeroCost(arch: Arch, kind: ZeroCostKind): Promise<number | null>;
}

/** The TensorFlow.js namespace handed to plugins by `ctx.tensorflow()`. */
export type Tensorflow = typeof TensorflowModule;

/**
 * An ask/tell search method. The harness calls propose → evaluates → observe, and snapshots the
 * searcher right after each propose, so `snapshot()` must capture everything `observe` and later
 * calls depend on.
 */
export interface Searcher<A = Arch> {
  /** Between 1 and `max` new candidates; an empty list means the searcher has nothing more to try. */
  propose(max: number): A[] | Promise<A[]>;
  observe(results: readonly Observation<A>[]): void | Promise<void>;
  snapshot(): Json | Promise<Json>;
  restore(state: Json): void | Promise<void>;
  /** The architecture the run reports; when absent the harness takes the best observed one. */
  recommend?(): A | Promise<A>;
}

export interface SearcherPlugin<P extends ParamSpecs = ParamSpecs> {
  readonly name: string;
  /** One line, shown by `nasbench methods`. */
  readonly description: string;
  /** Search-space kinds the method supports, or 'any'. */
  readonly spaces: readonly string[] | 'any';
  readonly params: P;
  /**
   * What runs with these parameters on this task, in a report's words, where the plugin's name
   * alone would mislead (ENAS's controller without weight sharing is REINFORCE). Stored with the
   * experiment; reports label its rows by it. Absent: the plugin's name.
   */
  label?(params: ParamValues<P>, task: TaskInfo): string;
  /**
   * The parameters that run, given those asked for (defaults filled in), for a method where one
   * parameter fixes others (NAO's `config=paper` sets the EPD's sizes and schedule). The harness
   * stores these, so that a report's labels and reproduce commands say what ran, and hands them to
   * `label` and `create`. Throw an Error to refuse a combination: the user sees its message as one
   * line about their --param, before anything is stored. Applied again to its own result it must
   * return it unchanged. Absent: the parameters as asked for.
   */
  effectiveParams?(params: ParamValues<P>): ParamValues<P>;
  create(ctx: SearchContext<ParamValues<P>>): Searcher | Promise<Searcher>;
}

/** Identity helper that infers the parameter types of a plugin definition. */
export function definePlugin<const P extends ParamSpecs>(plugin: SearcherPlugin<P>): SearcherPlugin<P> {
  return plugin;
}
