import type { Json, SearchContext, Searcher } from '../plugin.js';
import type { Arch } from '../space.js';
import { DiagnosticKind } from './diagnostics.js';
import { type Candidate, type RerankState, correlation, recommended, rerankFromJson, rerankToJson } from './rerank.js';

/**
 * A weight-sharing method as an ask/tell searcher (NAO-WS, ENAS). The first propose runs the
 * whole weight-sharing search, which spends no evaluation and returns the candidates to train from
 * scratch (given the run's budget); the evaluations train them; the recommendation is the best of
 * them by standalone score. Snapshots are taken after a propose, so every snapshot is taken after
 * the search and needs no supernet weights: a run stopped during the search starts it again, from
 * the run's seed, on resume.
 */
export function searchThenRerank(ctx: SearchContext, method: string, search: (budget: number) => Promise<readonly Candidate[]>): Searcher {
  let state: RerankState | null = null;
  return {
    async propose(max) {
      if (state === null) {
        const candidates = await search(max);
        state = { candidates, queue: candidates.map(([arch]) => arch), observed: [] };
      }
      return state.queue.splice(0, max).map((key): Arch => ctx.space.parse(key));
    },
    observe(results) {
      if (state === null) throw new Error(`${method}: observe before any propose`);
      const shared = new Map(state.candidates);
      for (const r of results) {
        const arch = ctx.space.format(r.arch);
        state.observed.push([arch, shared.get(arch) ?? null, r.score]);
      }
      ctx.record(DiagnosticKind.weightSharingCorrelation, correlation(state.observed, ctx.task.objective) as unknown as Json);
    },
    recommend() {
      const arch = state === null ? null : recommended(state);
      if (arch === null) throw new Error(`${method}: nothing to recommend before the search`);
      return ctx.space.parse(arch);
    },
    snapshot: (): Json => (state === null ? null : rerankToJson(state)),
    restore(json) {
      state = json === null ? null : rerankFromJson(json, method);
    },
  };
}
