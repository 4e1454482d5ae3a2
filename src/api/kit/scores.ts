import type { Objective } from '../plugin.js';

/**
 * An objective's value oriented so that higher is better (the value, or its negation for a 'min'
 * objective): what `Observation.score` holds and what searchers rank by. Null stays null.
 */
export function orientedScore(value: number | null, goal: Objective['goal']): number | null {
  return value === null ? null : goal === 'max' ? value : -value;
}

/** Back from an oriented score to the objective's own units (its inverse). */
export function objectiveValue(score: number, goal: Objective['goal']): number {
  return goal === 'max' ? score : -score;
}

/** Rounded to 4 decimals: what diagnostics store (they are written every round of every run). */
export function round4(x: number): number;
export function round4(x: number | null): number | null;
export function round4(x: number | null): number | null {
  return x === null ? null : Math.round(x * 1e4) / 1e4;
}
