import { definePlugin, type Json } from 'nasbench/api';

/** What the searcher must remember across a resume: every cell asked for, and the current climb. */
interface State {
  seen: string[];
  /** The cell the climb is at and its score; null until the first result after a (re)start. */
  center: { arch: string; score: number } | null;
  /** Neighbours tried since the center last improved. */
  stale: number;
}

export default definePlugin({
  name: 'hill-climb',
  description: 'Local search: random starts, then unseen one-choice neighbours of the best cell so far; never asks for a cell twice',
  spaces: 'any',
  params: {
    starts: { type: 'int', default: 10, min: 1, max: 10_000, doc: 'random cells evaluated before the first climb' },
    patience: { type: 'int', default: 20, min: 1, max: 10_000, doc: 'neighbours tried without improvement before restarting from a random cell' },
  },
  create(ctx) {
    const { space, rng, params } = ctx;
    let state: State = { seen: [], center: null, stale: 0 };
    let seen = new Set<string>();

    /** An architecture not asked for yet, from `draw`; null when `tries` draws found none. */
    const unseen = (draw: () => ReturnType<typeof space.sample>, tries = 100) => {
      for (let i = 0; i < tries; i++) {
        const arch = draw();
        if (!seen.has(space.format(arch))) return arch;
      }
      return null;
    };

    return {
      propose() {
        if (seen.size >= space.size) return []; // every cell has been evaluated: end the run early
        const center = state.center;
        const climbing = center !== null && seen.size >= params.starts && state.stale < params.patience;
        const arch =
          (climbing ? unseen(() => space.mutate(space.parse(center.arch), rng)) : null) ??
          unseen(() => space.sample(rng), 10_000);
        if (arch === null) return [];
        if (!climbing && seen.size >= params.starts) state = { ...state, center: null, stale: 0 }; // a restart
        const text = space.format(arch);
        seen.add(text);
        state.seen.push(text);
        return [arch];
      },
      observe(results) {
        for (const r of results) {
          if (r.status !== 'ok' || r.score === null) continue; // failed or diverged: nothing to climb from
          if (state.center === null || r.score > state.center.score) {
            state.center = { arch: space.format(r.arch), score: r.score };
            state.stale = 0;
          } else {
            state.stale++;
          }
        }
      },
      // Plain JSON, copied: the snapshot must not share mutable objects with the live searcher.
      snapshot: (): Json => ({ seen: [...state.seen], center: state.center && { ...state.center }, stale: state.stale }),
      restore(json) {
        const s = json as unknown as State;
        state = { seen: [...s.seen], center: s.center && { ...s.center }, stale: s.stale };
        seen = new Set(state.seen);
      },
    };
  },
});
