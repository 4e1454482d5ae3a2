import type { EpdModelConfig, EpdWeights, Json, PoolMember } from 'nasbench/api';
import { epdWeightsFromJson, epdWeightsToJson } from 'nasbench/api';

/** Everything a NAO searcher depends on besides the run's rng. */
export interface NaoState {
  weights: EpdWeights;
  /** In observation order. */
  readonly pool: PoolMember[];
  /** Every canonical string proposed or queued so far, evaluated or not: what generation must not repeat. */
  readonly proposed: Set<string>;
  /** Generated but not yet proposed (when propose is asked for fewer than an iteration holds). */
  queue: string[];
  /** Completed EPD iterations. */
  iteration: number;
}

export function initialState(weights: EpdWeights): NaoState {
  return { weights, pool: [], proposed: new Set(), queue: [], iteration: 0 };
}

export function stateToJson(s: NaoState): Json {
  return {
    iteration: s.iteration,
    pool: s.pool.map((m) => [m.arch, m.score, m.heldOut]),
    proposed: [...s.proposed],
    queue: [...s.queue],
    weights: epdWeightsToJson(s.weights),
  };
}

export function stateFromJson(json: Json, config: EpdModelConfig): NaoState {
  const o = json as { iteration: number; pool: [string, number | null, boolean | null][]; proposed: string[]; queue: string[]; weights: Json };
  if (o === null || typeof o !== 'object' || !Array.isArray(o.pool) || !Array.isArray(o.proposed) || !Array.isArray(o.queue)) {
    throw new Error('NAO snapshot: expected {iteration, pool, proposed, queue, weights}');
  }
  return {
    weights: epdWeightsFromJson(o.weights, config),
    pool: o.pool.map(([arch, score, heldOut]) => ({ arch, score, heldOut })),
    proposed: new Set(o.proposed),
    queue: [...o.queue],
    iteration: o.iteration,
  };
}
