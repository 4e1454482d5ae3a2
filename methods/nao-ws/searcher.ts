import type { Arch, Json, SearchContext, Searcher } from 'nasbench/api';
import { type NaoWsParams, resolveNaoWsSettings } from './params.js';
import { rerankCandidates } from './pool.js';
import { CORRELATION_DIAGNOSTIC, type RerankState, correlation, recommended, rerankFromJson, rerankToJson } from './rerank.js';
import { searchPool } from './search.js';

/**
 * NAO-WS as an ask/tell searcher. The first propose runs the whole weight-sharing search (it
 * spends no evaluation) and queues the re-ranking candidates; the evaluations train them from
 * scratch; the recommendation is the best of them by standalone score. Snapshots are taken after
 * a propose, so every snapshot is taken after the search and needs no supernet weights: a run
 * stopped during the search starts it again, from the run's seed, on resume.
 */
export function createNaoWsSearcher(ctx: SearchContext<NaoWsParams>): Searcher {
  const settings = resolveNaoWsSettings(ctx.params, ctx.space.grammar);
  let state: RerankState | null = null;

  const search = async (budget: number): Promise<RerankState> => {
    const [tf, supernet] = await Promise.all([ctx.tensorflow(), ctx.supernet()]);
    const pool = await searchPool(tf, ctx, settings, supernet);
    const candidates = rerankCandidates(pool, budget, settings.rerankSpread).map((m) => [m.arch, m.score] as const);
    ctx.log.info(`search done: ${candidates.length} of the pool's ${pool.length} to train from scratch`);
    return { candidates, queue: candidates.map(([arch]) => arch), observed: [] };
  };

  return {
    async propose(max) {
      state ??= await search(max);
      return state.queue.splice(0, max).map((key): Arch => ctx.space.parse(key));
    },
    observe(results) {
      if (state === null) throw new Error('NAO-WS: observe before any propose');
      const shared = new Map(state.candidates);
      for (const r of results) {
        const arch = ctx.space.format(r.arch);
        state.observed.push([arch, shared.get(arch) ?? null, r.score]);
      }
      ctx.record(CORRELATION_DIAGNOSTIC, correlation(state.observed, ctx.task.objective) as unknown as Json);
    },
    recommend() {
      const arch = state === null ? null : recommended(state);
      if (arch === null) throw new Error('NAO-WS: nothing to recommend before the search');
      return ctx.space.parse(arch);
    },
    snapshot: (): Json => (state === null ? null : rerankToJson(state)),
    restore(json) {
      state = json === null ? null : rerankFromJson(json);
    },
  };
}
