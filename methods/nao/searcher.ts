import type { SearchContext, Searcher } from 'nasbench/api';
import { initialEpdWeights, randomUnique } from 'nasbench/api';
import { runIteration } from './iteration.js';
import { type NaoParams, resolveSettings } from './params.js';
import { initialState, stateFromJson, stateToJson } from './state.js';

/**
 * The NAO loop as an ask/tell searcher: a random seed pool first, then one iteration (train the
 * EPD, generate K new architectures) each time everything proposed has been evaluated. Between
 * calls the EPD lives as plain arrays, so no tensor outlives a call.
 */
export async function createNaoSearcher(ctx: SearchContext<NaoParams>): Promise<Searcher> {
  const tf = await ctx.tensorflow();
  const settings = resolveSettings(ctx.params, ctx.budget, ctx.space.grammar);
  let state = initialState(initialEpdWeights(tf, settings.model, () => ctx.rng.int(2 ** 31)));

  return {
    propose(max) {
      if (state.queue.length === 0) {
        const next =
          state.pool.length === 0
            ? randomUnique(ctx, settings.seedPool, state.proposed)
            : runIteration(tf, ctx, settings, state, Math.min(settings.newPerIteration, max));
        for (const key of next) state.proposed.add(key);
        state.queue = next;
      }
      return state.queue.splice(0, max).map((key) => ctx.space.parse(key));
    },
    observe(results) {
      for (const r of results) state.pool.push({ arch: ctx.space.format(r.arch), score: r.score, heldOut: null });
    },
    snapshot: () => stateToJson(state),
    restore(json) {
      state = stateFromJson(json, settings.model);
    },
  };
}
