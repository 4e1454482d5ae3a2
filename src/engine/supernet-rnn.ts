import type { Json } from '../api/index.js';
import { RNN_NODES, type RnnCellArch } from '../spaces/rnn-cell.js';
import { highwayCellSequence } from './highway-cell.js';
import type { RnnLmConfig } from './rnn-net.js';
import { sparseCrossEntropy } from './rnn-net.js';
import { decodeFloats, encodeFloats, mixSeed, SupernetBase, type ExtraState, type SupernetScore, type SupernetTraining } from './supernet.js';
import * as tf from './tf.js';
import { tfSeed } from './params.js';
import { batchify } from './train-lm.js';

export interface RnnSupernetOptions {
  readonly batchSize: number;
  /** Truncated back-propagation length (tokens per training step and per validation window). */
  readonly bptt: number;
  readonly evalBatchSize: number;
  readonly training: SupernetTraining;
}

type Stream = { readonly data: Int32Array; readonly length: number };

function windowOf(stream: Stream, batch: number, index: number, bptt: number) {
  const start = index * bptt;
  const n = Math.min(bptt, stream.length - 1 - start);
  return {
    n,
    x: tf.tensor2d(stream.data.subarray(start * batch, (start + n) * batch), [n, batch], 'int32'),
    y: tf.tensor1d(stream.data.subarray((start + 1) * batch, (start + 1 + n) * batch), 'int32'),
  };
}

/**
 * An rnn-cell supernet (ENAS recurrent search): the language model of `RnnLm` — embedding, the
 * searched cell, tied decoder — with one weight matrix for every (node, previous node) pair; the
 * activations have no weights. Training carries the hidden state from one step to the next
 * within an epoch (truncated BPTT, as ENAS does, whatever architecture each step samples).
 */
export class RnnSupernet extends SupernetBase<RnnCellArch> {
  readonly epochSteps: number;
  readonly validBatches: number;
  private readonly train: Stream;
  private readonly valid: Stream;
  private readonly embedding: tf.Variable;
  private readonly w0x: tf.Variable;
  private readonly w0h: tf.Variable;
  /** nodeWeights[k][p]: node k (0-based, the paper's node k + 1) reading state p. */
  private readonly nodeWeights: tf.Variable[][];
  private readonly bias: tf.Variable;
  /** The hidden state carried into the next training step (null: zeros, at an epoch's start). */
  private state: tf.Tensor2D | null = null;

  constructor(
    readonly config: RnnLmConfig,
    corpus: { readonly train: Int32Array; readonly valid: Int32Array },
    private readonly options: RnnSupernetOptions,
    seed: number,
  ) {
    super('rnn-cell', seed, options.training);
    this.train = batchify(corpus.train, options.batchSize);
    this.valid = batchify(corpus.valid, options.evalBatchSize);
    if (this.train.length < 2) throw new Error(`the supernet needs at least 2 tokens per training stream, got ${this.train.length} (batch ${options.batchSize})`);
    if (this.valid.length < 2) throw new Error(`the supernet needs at least 2 tokens per validation stream, got ${this.valid.length} (batch ${options.evalBatchSize})`);
    this.epochSteps = Math.ceil((this.train.length - 1) / options.bptt);
    this.validBatches = Math.ceil((this.valid.length - 1) / options.bptt);
    const p = this.params;
    const h = config.hidden;
    this.embedding = p.uniform([config.vocab, h], 0.1);
    this.w0x = p.uniform([h, 2 * h], Math.sqrt(1 / h));
    this.w0h = p.uniform([h, 2 * h], Math.sqrt(1 / h));
    this.nodeWeights = Array.from({ length: RNN_NODES }, (_, k) => Array.from({ length: k + 1 }, () => p.uniform([h, 2 * h], Math.sqrt(1 / h))));
    this.bias = p.zeros([config.vocab]);
  }

  usedBy(arch: RnnCellArch): tf.Variable[] {
    return [this.embedding, this.w0x, this.w0h, ...arch.nodes.map((n, k) => this.nodeWeights[k]![n.prev]!), this.bias];
  }

  /** Logits [T·B, V] for tokens [T, B] from `state`, and the last state, as `RnnLm.forward`; `dropoutSalt` null means no dropout. */
  private forward(arch: RnnCellArch, tokens: tf.Tensor2D, state: tf.Tensor2D, dropoutSalt: number | null) {
    const [steps, batch] = tokens.shape;
    const h = this.config.hidden;
    const drop = <T extends tf.Tensor>(x: T, salt: number): T =>
      dropoutSalt !== null && this.config.dropout > 0 ? (tf.dropout(x, this.config.dropout, undefined, tfSeed(mixSeed(this.seed ^ 0xd0, 2 * dropoutSalt + salt))) as T) : x;
    const embedded = drop(tf.gather(this.embedding, tf.reshape(tokens, [-1])) as tf.Tensor2D, 0);
    const xProj = tf.reshape(tf.matMul(embedded, this.w0x as tf.Tensor2D), [steps, batch, 2 * h]) as tf.Tensor3D;
    const nodes = arch.nodes.map((n, k) => this.nodeWeights[k]![n.prev] as tf.Tensor2D);
    const outputs = highwayCellSequence(arch.nodes, xProj, state, { w0h: this.w0h as tf.Tensor2D, nodes });
    const last = tf.slice(outputs, [(steps - 1) * batch, 0], [batch, h]) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(drop(outputs, 1), this.embedding as tf.Tensor2D, false, true), this.bias) as tf.Tensor2D;
    return { logits, state: last };
  }

  private zeros(batch: number): tf.Tensor2D {
    return tf.zeros([batch, this.config.hidden]);
  }

  trainStep(arch: RnnCellArch, lr = this.learningRate()): number {
    const step = this.step;
    const index = step % this.epochSteps;
    if (index === 0) this.dropState();
    // The carried state is this step's to dispose; the step's last state is carried next.
    const state = this.state ?? this.zeros(this.options.batchSize);
    this.state = null;
    const { x, y } = windowOf(this.train, this.options.batchSize, index, this.options.bptt);
    const last: { state: tf.Tensor2D | null } = { state: null };
    try {
      const loss = this.update(
        this.usedBy(arch),
        () => {
          const out = this.forward(arch, x, state, step);
          last.state = tf.keep(out.state);
          return sparseCrossEntropy(out.logits, y);
        },
        lr,
      );
      // A non-finite state would poison every later step: the next one starts from zeros.
      if (Number.isFinite(loss)) [this.state, last.state] = [last.state, null];
      return loss;
    } finally {
      tf.dispose([x, y, state]);
      if (last.state !== null) last.state.dispose();
    }
  }

  protected override dropCarried(): void {
    this.dropState();
  }

  private dropState(): void {
    this.state?.dispose();
    this.state = null;
  }

  score(arch: RnnCellArch, batches: number, fixed: boolean): SupernetScore {
    let state = this.zeros(this.options.evalBatchSize);
    let [nll, tokens] = [0, 0];
    for (let i = 0; i < batches; i++) {
      const index = fixed ? i : this.validCursor++ % this.validBatches;
      if (index === 0 && i > 0) {
        state.dispose();
        state = this.zeros(this.options.evalBatchSize);
      }
      const { n, x, y } = windowOf(this.valid, this.options.evalBatchSize, index, this.options.bptt);
      const next = tf.tidy(() => {
        const out = this.forward(arch, x, state, null);
        nll += (sparseCrossEntropy(out.logits, y).dataSync()[0] as number) * n * this.options.evalBatchSize;
        return out.state;
      });
      tf.dispose([x, y, state]);
      state = next;
      tokens += n * this.options.evalBatchSize;
    }
    state.dispose();
    return { metrics: { valid_ppl: Math.exp(nll / tokens), valid_loss: nll / tokens }, batches };
  }

  protected extraState(): ExtraState {
    return { state: this.state === null ? null : encodeFloats(this.state.dataSync() as Float32Array) };
  }

  protected restoreExtra(s: ExtraState): void {
    this.dropState();
    const stored: Json = s.state ?? null;
    if (stored !== null) {
      const size = this.options.batchSize * this.config.hidden;
      this.state = tf.tensor2d(decodeFloats(stored, size, 'carried state'), [this.options.batchSize, this.config.hidden]);
    }
  }

  override dispose(): void {
    this.dropState();
    super.dispose();
  }
}
