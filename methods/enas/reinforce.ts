import type { Tensorflow } from 'nasbench/api';
import { adamStep, initialAdam, type AdamState } from './adam.js';
import type { Controller, Weights } from './controller.js';

export interface ReinforceConfig {
  readonly lr: number;
  /** β in reward + β·entropy (ENAS adds the sampled sequence's entropy to its reward). */
  readonly entropyWeight: number;
  readonly baselineDecay: number;
}

/**
 * An exponential moving average with bias correction, as in NAS-Bench-201's REINFORCE: its first
 * value is the first reward. ENAS starts its average at 0, which with a decay of 0.99 would take
 * hundreds of updates to reach rewards of the order of a 90 % accuracy.
 */
export interface Baseline {
  numerator: number;
  denominator: number;
}

/** Everything the controller's learning carries from one update to the next. */
export interface Learner {
  readonly weights: Weights;
  readonly adam: AdamState;
  readonly baseline: Baseline;
  updates: number;
}

/** A sampled sequence and what it earned. */
export interface Rewarded {
  readonly tokens: readonly number[];
  readonly reward: number;
  /** The policy's entropy along the sequence when it was sampled. */
  readonly entropy: number;
}

export interface UpdateReport {
  readonly reward: number;
  readonly baseline: number;
  readonly loss: number;
}

export function initialLearner(weights: Weights): Learner {
  return { weights, adam: initialAdam(weights), baseline: { numerator: 0, denominator: 0 }, updates: 0 };
}

export function baselineValue(b: Baseline): number | null {
  return b.denominator === 0 ? null : b.numerator / b.denominator;
}

/**
 * One REINFORCE update from a batch (ENAS aggregates several samples per update): each sample's
 * reward, plus the entropy bonus, first moves the baseline (as in ENAS and NAS-Bench-201, the
 * baseline includes the reward it is compared with), and the advantage is what it beat the
 * baseline by; then one Adam step on −mean(advantage · log π).
 */
export function reinforce(tf: Tensorflow, controller: Controller, learner: Learner, batch: readonly Rewarded[], cfg: ReinforceConfig): UpdateReport {
  if (batch.length === 0) throw new Error('REINFORCE needs at least one rewarded sample');
  const { baseline } = learner;
  const scored = batch.map((s) => {
    const reward = s.reward + cfg.entropyWeight * s.entropy;
    baseline.numerator = cfg.baselineDecay * baseline.numerator + (1 - cfg.baselineDecay) * reward;
    baseline.denominator = cfg.baselineDecay * baseline.denominator + (1 - cfg.baselineDecay);
    return { tokens: s.tokens, advantage: reward - baseline.numerator / baseline.denominator };
  });
  const { loss, gradients } = controller.gradient(tf, learner.weights, scored);
  adamStep(learner.weights, gradients, learner.adam, cfg.lr);
  learner.updates++;
  return {
    reward: batch.reduce((sum, s) => sum + s.reward, 0) / batch.length,
    baseline: baselineValue(baseline)!,
    loss,
  };
}
