import type { ParamValues, TokenGrammar } from 'nasbench/api';
import { EPD_PARAMS, type EpdSettings, resolveEpdSettings } from 'nasbench/api';

/**
 * NAO's hyper-parameters. The paper's values (Luo et al. 2018, CIFAR-10) are quoted in each doc;
 * the search-loop sizes are scaled to the run's budget, and the network and training schedule are
 * smaller than the paper's so that a tabular run of a few hundred evaluations takes seconds.
 */
export const NAO_PARAMS = {
  seed_fraction: { type: 'float', default: 0.33, min: 0.01, max: 1, doc: 'Share of the budget spent on the random seed pool (paper: 1000 seeds)' },
  new_per_iteration: { type: 'int', default: 25, min: 1, doc: 'New architectures K generated per iteration (paper: 300)' },
  top_k: { type: 'int', default: 10, min: 1, doc: 'Best evaluated architectures moved along the predictor gradient (paper: 100)' },
  ...EPD_PARAMS,
  holdout: { type: 'float', default: 0.1, min: 0, max: 0.5, doc: 'Share of evaluated architectures never trained on, for the predictor’s held-out ranking accuracy' },
} as const;

export type NaoParams = ParamValues<typeof NAO_PARAMS>;

/** The parameters resolved against the run: sizes in architectures, the encoder's step width. */
export interface NaoSettings extends EpdSettings {
  readonly seedPool: number;
  readonly newPerIteration: number;
  readonly holdout: number;
}

export function resolveSettings(p: NaoParams, budget: number, grammar: TokenGrammar): NaoSettings {
  return {
    // At least two seeds: the predictor's targets are min-max normalised.
    seedPool: Math.min(budget, Math.max(2, Math.round(p.seed_fraction * budget))),
    newPerIteration: p.new_per_iteration,
    holdout: p.holdout,
    ...resolveEpdSettings(p, p.top_k, grammar),
  };
}

