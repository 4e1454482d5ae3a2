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
export { ZERO_COST_KINDS, type ZeroCostKind } from './zero-cost.js';
export type { Supernet, SupernetScoreOptions, SupernetTrainResult } from './supernet.js';

// The plugin kit: parts the built-in methods share, for third-party methods as much as for them.
export { type PoolStats, type PoolMember, type PoolContext, assignHoldout, poolStats, randomUnique, ranked, replaceBottom, rerankCandidates, scorePool } from './kit/pool.js';
export { orientedScore, objectiveValue, round4 } from './kit/scores.js';
export { kendallTau } from './kit/kendall.js';
export { DiagnosticKind, PREDICTION_KINDS, type PredictionPair, type WeightSharingCorrelation } from './kit/diagnostics.js';
export { type Candidate, type Reranked, type RerankState, correlation, recommended } from './kit/rerank.js';
export { searchThenRerank } from './kit/search-then-rerank.js';
export type { Scalar, Tensor, Tensor1D, Tensor2D, Variable } from './kit/tensors.js';
// NAO's encoder-predictor-decoder (Luo et al. 2018), driven by NAO's standalone scores and by NAO-WS's shared-weight ones.
export { EPD_PARAMS, type EpdParams, type EpdSettings, type ModelConfig as EpdModelConfig, type TrainingConfig as EpdTrainingConfig, resolveEpdSettings } from './epd/settings.js';
export { type EpdWeights, initialWeights as initialEpdWeights } from './epd/model.js';
export { weightsFromJson as epdWeightsFromJson, weightsToJson as epdWeightsToJson } from './epd/weights.js';
export { type EpdContext, type EpdReport, MAX_PAIRS, NOT_TRAINED, type Split as EpdSplit, trainAndGenerate } from './epd/train-and-generate.js';
