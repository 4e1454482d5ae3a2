import { definePlugin, ZERO_COST_KINDS, type Json, type ZeroCostKind } from 'nasbench/api';

interface Scored {
  readonly arch: string;
  /** null: the score could not be computed (ranks below every number). */
  readonly score: number | null;
}

/** The best-scoring cell; the earliest wins a tie. */
export function bestScored(scored: readonly Scored[]): Scored | undefined {
  let best: Scored | undefined;
  for (const s of scored) if (best === undefined || (s.score ?? -Infinity) > (best.score ?? -Infinity)) best = s;
  return best;
}

/**
 * NASWOT (Mellor et al., ICML 2021): score N random cells without training them and report the
 * best-scoring one. Every score is a zero-cost evaluation charged to the budget; the run is judged
 * by the chosen cell's result (on NAS-Bench-201, its 200-epoch test accuracy), which it never sees.
 * `score` picks the ranking: the paper's `naswot`, or `synflow`, `params`, `flops` for comparison.
 */
export default definePlugin({
  name: 'naswot',
  description: 'Training-free search: score N random cells with a zero-cost score (NASWOT by default), report the best',
  spaces: ['nb201'],
  params: {
    n: { type: 'int', default: 100, min: 1, doc: 'N: random cells scored (each one evaluation of the budget; at most the budget)' },
    score: { type: 'enum', default: 'naswot', choices: ZERO_COST_KINDS, doc: 'Zero-cost score that ranks them: naswot, synflow, or the baselines params, flops' },
  },
  create(ctx) {
    const { space, rng, params } = ctx;
    const kind = params.score as ZeroCostKind;
    let scored: Scored[] = [];
    return {
      async propose() {
        // Cells are drawn with replacement, as in the authors' code.
        const n = Math.min(params.n, ctx.budget);
        while (scored.length < n) {
          const arch = space.sample(rng);
          scored.push({ arch: space.format(arch), score: await ctx.zeroCost(arch, kind) });
        }
        return [];
      },
      observe() {},
      recommend() {
        const best = bestScored(scored);
        if (best === undefined) throw new Error('no cell was scored');
        return space.parse(best.arch);
      },
      snapshot: (): Json => scored.map((s) => ({ arch: s.arch, score: s.score })),
      restore(state) {
        scored = (state as unknown as Scored[]).map((s) => ({ arch: s.arch, score: s.score }));
      },
    };
  },
});
