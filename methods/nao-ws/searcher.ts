import type { SearchContext, Searcher } from 'nasbench/api';
import { rerankCandidates, searchThenRerank } from 'nasbench/api';
import { type NaoWsParams, resolveNaoWsSettings } from './params.js';
import { searchPool } from './search.js';

/** NAO-WS: the pool search (search.ts), then the top of the pool re-ranked by standalone training. */
export function createNaoWsSearcher(ctx: SearchContext<NaoWsParams>): Searcher {
  const settings = resolveNaoWsSettings(ctx.params, ctx.space.grammar);
  return searchThenRerank(ctx, 'NAO-WS', async (budget) => {
    const [tf, supernet] = await Promise.all([ctx.tensorflow(), ctx.supernet()]);
    const pool = await searchPool(tf, ctx, settings, supernet);
    const candidates = rerankCandidates(pool, budget, settings.rerankSpread).map((m) => [m.arch, m.score] as const);
    ctx.log.info(`search done: ${candidates.length} of the pool's ${pool.length} to train from scratch`);
    return candidates;
  });
}
