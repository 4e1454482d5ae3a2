import type { Json } from '../api/index.js';
import { Params } from './params.js';
import { cosineLr, type SgdConfig } from './sgd.js';
import { SelectiveSgd } from './supernet-sgd.js';
import * as tf from './tf.js';

// The one seed mixer (shared with the harness), re-exported for the supernets.
export { mixSeed } from '../api/seed-mix.js';

/** How a supernet is trained: SGD, and the length of its learning-rate schedule. */
export interface SupernetTraining extends SgdConfig {
  /** Cosine decay from `lr` to `lrMin` over this many epochs of supernet steps, then `lrMin`. */
  readonly epochs: number;
}

export interface SupernetScore {
  readonly metrics: Record<string, number>;
  /** Validation minibatches measured. */
  readonly batches: number;
}

/**
 * The engine side of a weight-sharing supernet, for one space's architectures `A`. Synchronous:
 * the harness times each call, checks the architectures a plugin hands in, and charges the time
 * to the run (src/harness/supernet.ts).
 */
export interface SupernetCore<A> {
  readonly epochSteps: number;
  readonly validBatches: number;
  /** Training steps taken so far. */
  readonly step: number;
  /** One SGD step of `arch` on the next training minibatch; returns its loss (not finite: no weight changed). */
  trainStep(arch: A, lr?: number): number;
  score(arch: A, batches: number, fixed: boolean): SupernetScore;
  /** Keeps the weights and optimiser state as they are now, to go back to when a call diverges. */
  checkpoint(): SupernetCheckpoint;
  /** Whether every weight and optimiser buffer is a finite number. */
  finite(): boolean;
  snapshot(): Json;
  restore(state: Json): void;
  dispose(): void;
}

export interface SupernetCheckpoint {
  /** Puts every weight and optimiser buffer back as it was, and drops state the later weights computed. */
  restore(): void;
  dispose(): void;
}

/** Float32 values as little-endian bytes in base64: exact, and about a third of decimal JSON's size. */
export function encodeFloats(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloats(text: Json | undefined, size: number, what: string): Float32Array {
  if (typeof text !== 'string') throw new Error(`supernet snapshot: ${what} is missing`);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength !== 4 * size) throw new Error(`supernet snapshot: ${what} holds ${bytes.byteLength / 4} values, this supernet needs ${size}`);
  // Copied into a fresh buffer: Node's pooled Buffers need not be 4-byte aligned.
  const values = new Float32Array(size);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

function readAll(vars: readonly tf.Variable[]): Float32Array {
  const out = new Float32Array(vars.reduce((n, v) => n + v.size, 0));
  let at = 0;
  for (const v of vars) {
    out.set(v.dataSync() as Float32Array, at);
    at += v.size;
  }
  return out;
}

function writeAll(vars: readonly tf.Variable[], values: Float32Array): void {
  let at = 0;
  for (const v of vars) {
    tf.tidy(() => v.assign(tf.tensor(values.subarray(at, at + v.size), v.shape)));
    at += v.size;
  }
}

/** What a network kind adds to the shared snapshot (data cursors, carried state). */
export type ExtraState = { readonly [key: string]: Json };

/**
 * What every supernet shares: its variables (created once, in a fixed order, from the seed), the
 * selective optimiser, the step counter and learning-rate schedule, the update of one step, and
 * snapshots. Subclasses build the network for an architecture and feed it data.
 */
export abstract class SupernetBase<A> implements SupernetCore<A> {
  protected readonly params: Params;
  private sgdState: SelectiveSgd | null = null;
  private steps = 0;
  /** Validation minibatches consumed by unfixed scoring (ENAS rewards). */
  protected validCursor = 0;

  protected constructor(
    readonly kind: string,
    protected readonly seed: number,
    private readonly training: SupernetTraining,
  ) {
    this.params = new Params(seed);
  }

  abstract readonly epochSteps: number;
  abstract readonly validBatches: number;
  abstract trainStep(arch: A, lr?: number): number;
  abstract score(arch: A, batches: number, fixed: boolean): SupernetScore;
  protected abstract extraState(): ExtraState;
  protected abstract restoreExtra(state: ExtraState): void;

  get step(): number {
    return this.steps;
  }

  /** Every shared weight, in creation order. */
  get variables(): readonly tf.Variable[] {
    return this.params.trainable;
  }

  /** The weights `arch` uses, in the order a training step reads them. */
  abstract usedBy(arch: A): tf.Variable[];

  /** Trainable scalars of the whole supernet. */
  get size(): number {
    return this.params.count();
  }

  /** Created after the subclass made its variables. */
  private get sgd(): SelectiveSgd {
    this.sgdState ??= new SelectiveSgd(this.params.trainable, this.training);
    return this.sgdState;
  }

  protected learningRate(): number {
    return cosineLr(this.training, this.steps, this.training.epochs * this.epochSteps);
  }

  /**
   * Gradients of `loss` for `vars` only (the weights the architecture uses), applied if the loss
   * is finite. Advances the step counter either way: the minibatch has been consumed.
   */
  protected update(vars: readonly tf.Variable[], loss: () => tf.Scalar, lr: number): number {
    const { value, grads } = tf.variableGrads(loss, vars as tf.Variable[]);
    try {
      const l = value.dataSync()[0] as number;
      if (Number.isFinite(l)) {
        // null or absent: a weight the loss does not reach (e.g. the preprocessing of a cell input no node reads).
        const used = vars.filter((v) => grads[v.name] != null);
        this.sgd.apply(used, used.map((v) => grads[v.name] as tf.Tensor), lr);
      }
      return l;
    } finally {
      this.steps++;
      value.dispose();
      tf.dispose(Object.values(grads));
    }
  }

  /** Weights, then momentum buffers: everything training changes. */
  private trainedState(): tf.Variable[] {
    const vars = this.params.trainable;
    return [...vars, ...this.sgd.momentumOf(vars)];
  }

  checkpoint(): SupernetCheckpoint {
    const vars = this.trainedState();
    // No copy: a clone shares the variable's data, which an update replaces rather than overwrites.
    const kept = vars.map((v) => tf.clone(v));
    return {
      restore: () => {
        vars.forEach((v, i) => v.assign(kept[i] as tf.Tensor));
        this.dropCarried();
      },
      dispose: () => tf.dispose(kept),
    };
  }

  finite(): boolean {
    return this.trainedState().every((v) => tf.tidy(() => tf.all(tf.isFinite(v)).dataSync()[0] === 1));
  }

  /** Drops state carried from one training step to the next (a text supernet's hidden state). */
  protected dropCarried(): void {}

  snapshot(): Json {
    const vars = this.params.trainable;
    const momentum = this.sgd.momentumOf(vars);
    return {
      kind: this.kind,
      size: this.size,
      step: this.steps,
      validCursor: this.validCursor,
      weights: encodeFloats(readAll(vars)),
      momentum: momentum.length > 0 ? encodeFloats(readAll(momentum)) : null,
      ...this.extraState(),
    };
  }

  restore(state: Json): void {
    if (state === null || typeof state !== 'object' || Array.isArray(state)) throw new Error('supernet snapshot: expected an object');
    const s = state as { [key: string]: Json };
    if (s.kind !== this.kind || s.size !== this.size) {
      throw new Error(`supernet snapshot: it holds a ${String(s.kind)} supernet of ${String(s.size)} weights, this run's is a ${this.kind} supernet of ${this.size}`);
    }
    if (!Number.isInteger(s.step) || !Number.isInteger(s.validCursor)) throw new Error('supernet snapshot: step and validCursor must be integers');
    const vars = this.params.trainable;
    writeAll(vars, decodeFloats(s.weights, this.size, 'weights'));
    const momentum = this.sgd.momentumOf(vars);
    if (momentum.length > 0) writeAll(momentum, decodeFloats(s.momentum, this.size, 'momentum'));
    this.steps = s.step as number;
    this.validCursor = s.validCursor as number;
    this.restoreExtra(s);
  }

  dispose(): void {
    this.sgdState?.dispose();
    this.params.dispose();
  }
}
