import type { Arch, Json, SearchContext, Searcher } from 'nasbench/api';
import { round4 } from 'nasbench/api';
import { Controller, type Sample } from './controller.js';
import { readLayout } from './layout.js';
import { type EnasParams, resolveSettings } from './params.js';
import { reinforce, type Rewarded } from './reinforce.js';
import { initialState, stateFromJson, stateToJson } from './state.js';

/** Updates between two 'enas-update' diagnostic records. */
const RECORD_EVERY = 10;

/** What `nasbench show` lists every RECORD_EVERY updates (recorded as 'enas-update'). */
export interface UpdateDiagnostics {
  readonly update: number;
  /** Sequences drawn so far, and how many of them were discarded as already evaluated (unique=true). */
  readonly samples: number;
  readonly redrawn: number;
  readonly evaluated: number;
  readonly baseline: number;
  /** Means over the samples rewarded since the previous record. */
  readonly reward: number;
  readonly entropy: number;
  /** REINFORCE loss of the latest batch. */
  readonly loss: number;
}


/**
 * ENAS's REINFORCE loop where each sample's reward is its own evaluation: a NAS-Bench-201 lookup
 * (12-epoch validation accuracy), or on a trained task a child trained from scratch. Each
 * proposal is one sequence drawn from the controller; every `batch` rewarded samples make one
 * update. Every proposal is evaluated and charged, a repeated architecture too (the repeat policy
 * of every built-in method, docs/PLUGINS.md). With `unique`, a drawn architecture that was already
 * evaluated is discarded and the controller draws again; the discarded draw is not rewarded. The weight-sharing mode
 * (weight-sharing.ts) differs in where rewards come from (the supernet) and reuses the controller
 * and the update.
 */
export async function createStandaloneSearcher(ctx: SearchContext<EnasParams>): Promise<Searcher> {
  const tf = await ctx.tensorflow();
  const { space } = ctx;
  const settings = resolveSettings(ctx.params, space.kind, 'standalone');
  const controller = new Controller(readLayout(space.grammar), settings.controller);
  let state = initialState(controller.initialWeights(ctx.rng));
  const keyOf = (tokens: readonly number[]) => space.format(space.fromTokens(tokens));

  const learn = (sample: Rewarded) => {
    state.buffer.push(sample);
    state.window.reward += sample.reward;
    state.window.entropy += sample.entropy;
    state.window.count++;
    if (state.buffer.length < settings.batch) return;
    const report = reinforce(tf, controller, state.learner, state.buffer, settings.reinforce);
    state.buffer = [];
    if (state.learner.updates % RECORD_EVERY === 0) {
      const { window } = state;
      const diagnostics: UpdateDiagnostics = {
        update: state.learner.updates,
        samples: state.samples,
        redrawn: state.reused,
        evaluated: state.known.size,
        baseline: round4(report.baseline),
        reward: round4(window.reward / window.count),
        entropy: round4(window.entropy / window.count),
        loss: round4(report.loss),
      };
      ctx.record('enas-update', diagnostics as unknown as Json);
      state.window = { reward: 0, entropy: 0, count: 0 };
    }
  };

  /** One sample to propose: with `unique`, neither evaluated before nor already in this batch, unless the draws run out. */
  const drawNew = (batch: ReadonlySet<string>): { sample: Sample; key: string } => {
    for (let tries = 0; ; tries++) {
      const sample = controller.sample(tf, state.learner.weights, ctx.rng)[0]!;
      state.samples++;
      const key = keyOf(sample.tokens);
      if (!settings.unique || tries >= settings.maxResample) return { sample, key };
      if (batch.has(key)) continue;
      if (!state.known.has(key)) return { sample, key };
      // Discarded, and teaches the controller nothing: every reward is an evaluation the run paid for.
      state.reused++;
    }
  };

  const searcher: Searcher = {
    propose(max) {
      const count = Math.min(max, settings.batch - state.buffer.length);
      const keys = new Set<string>();
      const out: Arch[] = [];
      for (let i = 0; i < count; i++) {
        const { sample, key } = drawNew(keys);
        keys.add(key);
        state.pending.push({ tokens: sample.tokens, entropy: sample.entropy });
        out.push(space.fromTokens(sample.tokens));
      }
      return out;
    },
    observe(results) {
      results.forEach((r, i) => {
        const pending = state.pending[i];
        const key = space.format(r.arch);
        if (pending === undefined || keyOf(pending.tokens) !== key) {
          throw new Error(`ENAS: observation #${r.ordinal} (${key}) is not the architecture proposed in that place`);
        }
        state.known.set(key, r.score);
        if (r.score !== null) learn({ tokens: pending.tokens, reward: r.score, entropy: pending.entropy });
      });
      state.pending = [];
    },
    snapshot: () => stateToJson(state),
    restore(json) {
      state = stateFromJson(json, controller.specs);
    },
  };
  if (settings.final === 'greedy') searcher.recommend = () => space.fromTokens(controller.greedy(tf, state.learner.weights).tokens);
  return searcher;
}
