import { definePlugin, ZERO_COST_KINDS, type Json, type ZeroCostKind } from 'nasbench/api';

interface Member {
  readonly arch: string;
  readonly score: number | null;
}

type Phase = { readonly kind: 'scoring'; readonly scored: Member[] } | { readonly kind: 'evolving'; readonly population: Member[] };

/**
 * AREA, Assisted Regularised EA (Mellor et al., ICML 2021, §4.1 and Algorithm 2): score M random
 * cells with NASWOT (each a zero-cost evaluation), seed regularised evolution's population with the
 * P best-scoring ones, then evolve on the task's search signal: each step samples S members, mutates
 * the best and retires the oldest. Every evaluation, zero-cost or not, counts against the budget;
 * the run reports the best cell by the search signal. Defaults are the paper's (M = 20, P = 10) and,
 * for S, which the paper leaves to NAS-Bench-201's regularised evolution, that benchmark's R-EA
 * setting (S = 3); see README.md.
 */
export default definePlugin({
  name: 'area',
  description: 'Assisted regularised evolution: the P best of M zero-cost-scored random cells seed regularised evolution',
  spaces: ['nb201'],
  params: {
    scored: { type: 'int', default: 20, min: 1, doc: 'M: random cells scored without training (each one evaluation of the budget); the paper: 20' },
    population: { type: 'int', default: 10, min: 2, doc: 'Population size P: the best-scoring cells seed it; the paper: 10' },
    sample_size: { type: 'int', default: 3, min: 1, doc: "Tournament size S: members sampled to pick each parent (≤ P); NAS-Bench-201's R-EA: 3" },
    score: { type: 'enum', default: 'naswot', choices: ZERO_COST_KINDS, doc: 'Zero-cost score that picks the seeds; the paper: naswot' },
  },
  create(ctx) {
    const { space, rng, params } = ctx;
    if (params.sample_size > params.population) throw new Error(`sample_size (${params.sample_size}) must not exceed population (${params.population})`);
    if (params.population > params.scored) throw new Error(`population (${params.population}) must not exceed scored (${params.scored})`);
    if (params.scored + params.population > ctx.budget) {
      throw new Error(`scored + population (${params.scored} + ${params.population}) must fit in the budget (${ctx.budget}): the seeds are evaluated after they are scored`);
    }
    const kind = params.score as ZeroCostKind;
    let phase: Phase = { kind: 'scoring', scored: [] };
    const fitness = (m: Member) => m.score ?? -Infinity;
    return {
      async propose(max) {
        if (phase.kind === 'scoring') {
          const scored = phase.scored;
          while (scored.length < params.scored) {
            const arch = space.sample(rng);
            scored.push({ arch: space.format(arch), score: await ctx.zeroCost(arch, kind) });
          }
          // The P best by zero-cost score (stable: the earlier wins a tie) are evaluated first.
          const seeds = scored
            .map((m, i) => ({ m, i }))
            .sort((a, b) => fitness(b.m) - fitness(a.m) || a.i - b.i)
            .slice(0, params.population)
            .map(({ m }) => space.parse(m.arch));
          phase = { kind: 'evolving', population: [] };
          return seeds.slice(0, max);
        }
        const tournament = rng.sample(phase.population, params.sample_size);
        const parent = tournament.reduce((best, m) => (fitness(m) > fitness(best) ? m : best));
        return [space.mutate(space.parse(parent.arch), rng)];
      },
      observe(results) {
        if (phase.kind !== 'evolving') return;
        for (const r of results) {
          phase.population.push({ arch: space.format(r.arch), score: r.score });
          if (phase.population.length > params.population) phase.population.shift();
        }
      },
      snapshot: (): Json => (phase.kind === 'scoring' ? { scoring: phase.scored.map((m) => ({ ...m })) } : { population: phase.population.map((m) => ({ ...m })) }),
      restore(state) {
        const s = state as { scoring?: Member[]; population?: Member[] };
        phase = s.population ? { kind: 'evolving', population: s.population.map((m) => ({ ...m })) } : { kind: 'scoring', scored: (s.scoring ?? []).map((m) => ({ ...m })) };
      },
    };
  },
});
