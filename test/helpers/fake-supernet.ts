import type { Arch, Observation, SearchSpace, Supernet, SupernetScoreOptions, TaskInfo } from '../../src/api/index.js';

/** A trained task as a weight-sharing searcher sees it: validation accuracy (images) or perplexity (text). */
export const syntheticTrainedTask = (goal: 'max' | 'min'): TaskInfo =>
  goal === 'max'
    ? { name: 'synthetic', kind: 'image', objective: { metric: 'valid_acc', goal, label: 'valid_acc' } }
    : { name: 'synthetic', kind: 'text', objective: { metric: 'valid_ppl', goal, label: 'valid_ppl' } };

/** What a stand-in supernet was asked, in order. */
export type Event =
  | { readonly kind: 'train'; readonly arch: string }
  | { readonly kind: 'score'; readonly arch: string; readonly options: SupernetScoreOptions; readonly value: number };

/** A deterministic shared-weight score: a function of the tokens that drifts with the supernet's training. */
export function sharedScore(space: SearchSpace<Arch>, arch: Arch, step: number): number {
  const tokens = space.toTokens(arch);
  return 50 + tokens.reduce((s, t, p) => s + ((t * (p + 3)) % 5), 0) / tokens.length + ((step * 7) % 3) / 10;
}

/**
 * A stand-in supernet that logs what it is asked: the search's loop is what these tests watch.
 * Its scores are `scoreOf` (by default `sharedScore`) in the objective's units (a 'min'
 * objective gets their negation plus a constant, so that better architectures still score better).
 */
export function fakeSupernet(space: SearchSpace<Arch>, metric: string, goal: 'max' | 'min', events: Event[], scoreOf = sharedScore): Supernet {
  let step = 0;
  let seconds = 0;
  return {
    epochSteps: 10,
    validBatches: 3,
    get step() {
      return step;
    },
    get deviceSeconds() {
      return seconds;
    },
    async train(steps, pick) {
      for (let i = 0; i < steps; i++) {
        events.push({ kind: 'train', arch: space.format(await pick(step)) });
        step++;
        seconds += 0.5;
      }
      return { steps, meanLoss: 1.5, diverged: false };
    },
    async score(arch, options = {}) {
      const s = scoreOf(space, arch, step);
      const value = goal === 'max' ? s : 200 - s;
      events.push({ kind: 'score', arch: space.format(arch), options, value });
      seconds += 0.25;
      return { [metric]: value, valid_loss: 1 };
    },
    snapshot: () => ({ step }),
    restore() {},
  };
}

/** Standalone results for the proposals: another deterministic function of the architecture, one failure. */
export function standalone(space: SearchSpace<Arch>, archs: readonly Arch[], failAt = -1): Observation[] {
  return archs.map((arch, i) => {
    const text = space.format(arch);
    const score = [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 997, 3) / 10;
    const failed = i === failAt;
    const metrics: Record<string, number> = failed ? {} : { valid_acc: score };
    return { arch, ordinal: i, status: failed ? 'failed' : 'ok', score: failed ? null : score, metrics };
  });
}
