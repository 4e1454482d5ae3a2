/**
 * The public plugin API of nasbench. Search methods (built-in ones in `methods/` and third-party
 * `nasbench-method-*` packages alike) import only from here (`nasbench/api`).
 */
export { Rng, type RngState } from './rng.js';
export { ArchParseError, type Arch, type ArchHash, type SearchSpace, type TokenGrammar } from './space.js';
export type { ParamSpec, ParamSpecs, ParamValue, ParamValues } from './params.js';
export {
  definePlugin,
  type EvalStatus,
  type Json,
  type Logger,
  type Objective,
  type Observation,
  type SearchContext,
  type Searcher,
  type SearcherPlugin,
  type TaskInfo,
  type Tensorflow,
} from './plugin.js';
export type { Supernet, SupernetScoreOptions, SupernetTrainResult } from './supernet.js';
