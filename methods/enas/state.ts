import type { Json } from 'nasbench/api';
import type { WeightSpec, Weights } from './controller.js';
import { initialLearner, type Learner, type Rewarded } from './reinforce.js';

/** A proposed sample awaiting its evaluation: the tokens as sampled (the canonical string may order them otherwise). */
export interface Pending {
  readonly tokens: number[];
  readonly entropy: number;
}

/** Running sums since the last diagnostic record. */
export interface Window {
  reward: number;
  entropy: number;
  count: number;
}

/** Everything an ENAS searcher depends on besides the run's rng. */
export interface SearchState {
  readonly learner: Learner;
  /** Proposed and not yet observed, in proposal order. */
  pending: Pending[];
  /** Rewarded samples waiting for a full batch. */
  buffer: Rewarded[];
  /** Score (null: failed) of every evaluated architecture, by canonical string. */
  readonly known: Map<string, number | null>;
  /** Sequences drawn from the controller. */
  samples: number;
  /** Samples discarded as already evaluated (unique=true); never rewarded. */
  reused: number;
  window: Window;
}

export function initialState(weights: Weights): SearchState {
  return {
    learner: initialLearner(weights),
    pending: [],
    buffer: [],
    known: new Map(),
    samples: 0,
    reused: 0,
    window: { reward: 0, entropy: 0, count: 0 },
  };
}

/** Float32 values as little-endian bytes in base64: exact, and about a third of decimal JSON's size. */
function encode(weights: Weights): Json {
  return Object.fromEntries([...weights].map(([name, w]) => [name, Buffer.from(w.buffer, w.byteOffset, w.byteLength).toString('base64')]));
}

function decode(json: Json, specs: readonly WeightSpec[], what: string): Weights {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error(`ENAS snapshot: ${what} must be an object`);
  const stored = json as { [name: string]: Json };
  return new Map(
    specs.map((spec) => {
      const text = stored[spec.name];
      if (typeof text !== 'string') throw new Error(`ENAS snapshot: ${what} ${spec.name} is missing`);
      const bytes = Buffer.from(text, 'base64');
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (bytes.byteLength !== 4 * size) {
        throw new Error(`ENAS snapshot: ${what} ${spec.name} has ${bytes.byteLength / 4} values, the controller needs ${size} (${spec.shape.join('×')})`);
      }
      // Copied into a fresh buffer: Node's pooled Buffers need not be 4-byte aligned.
      const values = new Float32Array(size);
      new Uint8Array(values.buffer).set(bytes);
      return [spec.name, values];
    }),
  );
}

export function stateToJson(s: SearchState): Json {
  const { learner } = s;
  return {
    weights: encode(learner.weights),
    adam: { step: learner.adam.step, m: encode(learner.adam.m), v: encode(learner.adam.v) },
    baseline: [learner.baseline.numerator, learner.baseline.denominator],
    updates: learner.updates,
    pending: s.pending.map((p) => [p.tokens, p.entropy]),
    buffer: s.buffer.map((r) => [[...r.tokens], r.reward, r.entropy]),
    known: [...s.known],
    samples: s.samples,
    reused: s.reused,
    window: [s.window.reward, s.window.entropy, s.window.count],
  };
}

interface StoredState {
  weights: Json;
  adam: { step: number; m: Json; v: Json };
  baseline: [number, number];
  updates: number;
  pending: [number[], number][];
  buffer: [number[], number, number][];
  known: [string, number | null][];
  samples: number;
  reused: number;
  window: [number, number, number];
}

/** Reads a snapshot back, checked against the controller the run's parameters describe. */
export function stateFromJson(json: Json, specs: readonly WeightSpec[]): SearchState {
  const o = json as unknown as StoredState;
  const arrays = ['pending', 'buffer', 'known', 'baseline', 'window'] as const;
  if (o === null || typeof o !== 'object' || typeof o.adam !== 'object' || arrays.some((k) => !Array.isArray(o[k]))) {
    throw new Error('ENAS snapshot: expected {weights, adam, baseline, updates, pending, buffer, known, samples, reused, window}');
  }
  const weights = decode(o.weights, specs, 'weight');
  return {
    learner: {
      weights,
      adam: { step: o.adam.step, m: decode(o.adam.m, specs, 'Adam moment m of'), v: decode(o.adam.v, specs, 'Adam moment v of') },
      baseline: { numerator: o.baseline[0], denominator: o.baseline[1] },
      updates: o.updates,
    },
    pending: o.pending.map(([tokens, entropy]) => ({ tokens: [...tokens], entropy })),
    buffer: o.buffer.map(([tokens, reward, entropy]) => ({ tokens: [...tokens], reward, entropy })),
    known: new Map(o.known),
    samples: o.samples,
    reused: o.reused,
    window: { reward: o.window[0], entropy: o.window[1], count: o.window[2] },
  };
}
