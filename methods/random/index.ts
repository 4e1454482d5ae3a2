import { definePlugin, type Json } from 'nasbench/api';

/**
 * Random search: uniform samples without repeats. The baseline every NAS comparison needs
 * (Li & Talwalkar 2019; Yang et al. 2020).
 */
export default definePlugin({
  name: 'random',
  description: 'Random search: uniform samples from the space, no architecture twice',
  spaces: 'any',
  params: {
    max_tries: {
      type: 'int',
      default: 1000,
      min: 1,
      doc: 'Draws per proposal before concluding that the space is exhausted',
    },
  },
  create(ctx) {
    const { space, rng } = ctx;
    let seen = new Set<string>();
    return {
      propose(max) {
        const out = [];
        for (let tries = 0; out.length < max && seen.size < space.size && tries < ctx.params.max_tries * max; tries++) {
          const arch = space.sample(rng);
          const key = space.format(arch);
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(arch);
        }
        return out;
      },
      observe() {},
      snapshot: (): Json => [...seen],
      restore(state) {
        seen = new Set(state as string[]);
      },
    };
  },
});
