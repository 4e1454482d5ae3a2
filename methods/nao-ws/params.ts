import type { EpdSettings, ParamValues, TokenGrammar } from 'nasbench/api';
import { EPD_PARAMS, resolveEpdSettings } from 'nasbench/api';

/**
 * NAO-WS's hyper-parameters. The published NAO-WS search (Luo et al. 2018, CIFAR-10) keeps a pool
 * of 600 architectures, trains the supernet for 200 epochs and scores the pool every 50 (four
 * rounds, one minibatch of 500 images each), replaces the bottom 300 by the EPD's new
 * architectures, and re-ranks the top 5 by 10 epochs of standalone training. The defaults keep its
 * four rounds and its replaced share of the pool, scaled so that a search on a task's `tiny`
 * preset takes minutes on two CPU cores.
 */
export const NAO_WS_PARAMS = {
  pool: { type: 'int', default: 50, min: 2, doc: 'Architectures in the pool, the first ones random (published: 600)' },
  iterations: { type: 'int', default: 4, min: 1, doc: 'Rounds of supernet training and pool scoring; the EPD renews the pool between rounds (published: 4)' },
  supernet_epochs: { type: 'float', default: 1.5, min: 0, max: 1000, doc: 'Supernet epochs per round, each step on an architecture drawn uniformly from the pool (published: 50)' },
  score_batches: { type: 'int', default: 2, min: 1, doc: 'Fixed validation minibatches each pool architecture is scored on, at most the supernet’s (published: 1 of 500 images)' },
  top_k: { type: 'int', default: 10, min: 1, doc: 'Best-scored pool architectures moved along the predictor gradient (published: 100)' },
  new_per_iteration: { type: 'int', default: 20, min: 0, doc: 'New architectures the EPD generates per renewal, replacing the bottom of the pool (published: 300)' },
  random_per_iteration: { type: 'int', default: 5, min: 0, doc: 'Random architectures that also replace the bottom of the pool per renewal, and fill in for missing new ones' },
  holdout: { type: 'float', default: 0.1, min: 0, max: 0.5, doc: 'Share of the pool the EPD never trains on, for the predictor’s held-out ranking accuracy' },
  rerank_spread: {
    type: 'float',
    default: 0.25,
    min: 0,
    max: 1,
    doc: 'Share of the standalone evaluations spent below the top of the shared-score ranking (spread evenly down to its bottom), so that the rank correlation spans the range',
  },
  ...EPD_PARAMS,
  // A renewal trains on about `pool` scores: at NAO's 15 epochs of 128 that is 15 optimizer steps,
  // after which the decoder reproduces none of the pool's cells and "generates" noise.
  epochs: { ...EPD_PARAMS.epochs, default: 50, doc: 'EPD training epochs per renewal, continuing from the previous renewal’s weights (published: 1000)' },
  batch_size: { ...EPD_PARAMS.batch_size, default: 32, doc: 'EPD training batch size (published: 100)' },
} as const;

export type NaoWsParams = ParamValues<typeof NAO_WS_PARAMS>;

export interface NaoWsSettings {
  readonly pool: number;
  readonly iterations: number;
  readonly supernetEpochs: number;
  readonly scoreBatches: number;
  readonly newPerIteration: number;
  readonly randomPerIteration: number;
  readonly holdout: number;
  readonly rerankSpread: number;
  readonly epd: EpdSettings;
}

export function resolveNaoWsSettings(p: NaoWsParams, grammar: TokenGrammar): NaoWsSettings {
  const replaced = p.new_per_iteration + p.random_per_iteration;
  if (replaced >= p.pool) {
    throw new Error(`new_per_iteration + random_per_iteration = ${replaced} must be below pool = ${p.pool}: a renewal keeps the top of the pool`);
  }
  return {
    pool: p.pool,
    iterations: p.iterations,
    supernetEpochs: p.supernet_epochs,
    scoreBatches: p.score_batches,
    newPerIteration: p.new_per_iteration,
    randomPerIteration: p.random_per_iteration,
    holdout: p.holdout,
    rerankSpread: p.rerank_spread,
    epd: resolveEpdSettings(p, p.top_k, grammar),
  };
}
