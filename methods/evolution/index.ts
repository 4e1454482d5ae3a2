import { definePlugin, type Json } from 'nasbench/api';

interface Member {
  readonly arch: string;
  readonly score: number | null;
}

/**
 * Regularized (aging) evolution, Real et al. 2019: keep a population of the P most recent
 * architectures; each step samples S of them, mutates the best of the sample, and retires the
 * oldest member. Defaults are those of the NAS-Bench-201 reference runs (P = 10, S = 3).
 */
export default definePlugin({
  name: 'evolution',
  description: 'Regularized evolution: tournament of S from a population of P, mutate the winner, retire the oldest',
  spaces: 'any',
  params: {
    population: { type: 'int', default: 10, min: 2, doc: 'Population size P (random architectures seed it)' },
    sample_size: { type: 'int', default: 3, min: 1, doc: 'Tournament size S: members sampled to pick each parent (≤ P)' },
  },
  create(ctx) {
    const { space, rng, params } = ctx;
    if (params.sample_size > params.population) {
      throw new Error(`sample_size (${params.sample_size}) must not exceed population (${params.population})`);
    }
    // Oldest first.
    let population: Member[] = [];
    const fitness = (m: Member) => m.score ?? -Infinity;
    return {
      propose(max) {
        if (population.length < params.population) {
          return Array.from({ length: Math.min(max, params.population - population.length) }, () => space.sample(rng));
        }
        const tournament = rng.sample(population, params.sample_size);
        const parent = tournament.reduce((best, m) => (fitness(m) > fitness(best) ? m : best));
        return [space.mutate(space.parse(parent.arch), rng)];
      },
      observe(results) {
        for (const r of results) {
          population.push({ arch: space.format(r.arch), score: r.score });
          if (population.length > params.population) population.shift();
        }
      },
      snapshot: (): Json => population.map((m) => ({ arch: m.arch, score: m.score })),
      restore(state) {
        population = (state as unknown as Member[]).map((m) => ({ arch: m.arch, score: m.score }));
      },
    };
  },
});
