import * as tf from './tf.js';
import type { RnnCellArch } from '../spaces/rnn-cell.js';
import { highwayCellSequence } from './highway-cell.js';
import { Params, tfSeed } from './params.js';

export interface RnnLmConfig {
  readonly vocab: number;
  /** Hidden size, equal to the embedding size (the decoder is tied to the embedding). */
  readonly hidden: number;
  /** Dropout on embeddings and on the cell's outputs. */
  readonly dropout: number;
}

/**
 * A word-level language model around a searched ENAS/NAO recurrent cell: embedding → cell → tied
 * softmax decoder. Every node is a highway update s = p + c ⊙ (f(h) − p) with [c, h] = p·W; the
 * cell's output is the mean of its 12 nodes (NAO/DARTS).
 */
export class RnnLm {
  readonly params: Params;
  private readonly embedding: tf.Variable;
  private readonly w0x: tf.Variable;
  private readonly w0h: tf.Variable;
  private readonly nodeWeights: tf.Variable[];
  private readonly bias: tf.Variable;

  constructor(private readonly arch: RnnCellArch, readonly config: RnnLmConfig, private readonly seed: number) {
    const p = (this.params = new Params(seed));
    const h = config.hidden;
    this.embedding = p.uniform([config.vocab, h], 0.1);
    this.w0x = p.uniform([h, 2 * h], Math.sqrt(1 / h));
    this.w0h = p.uniform([h, 2 * h], Math.sqrt(1 / h));
    this.nodeWeights = arch.nodes.map(() => p.uniform([h, 2 * h], Math.sqrt(1 / h)));
    this.bias = p.zeros([config.vocab]);
  }

  initialState(batch: number): tf.Tensor2D {
    return tf.zeros([batch, this.config.hidden]);
  }

  private dropout<T extends tf.Tensor>(x: T, training: boolean, salt: number): T {
    return training && this.config.dropout > 0 ? (tf.dropout(x, this.config.dropout, undefined, tfSeed(this.seed * 1_000_003 + salt)) as T) : x;
  }

  /**
   * Runs the cell over `tokens` [T, B] from `state` [B, H]; returns logits [T·B, V] and the last
   * state. `step` varies the dropout masks from one training step to the next.
   */
  forward(tokens: tf.Tensor2D, state: tf.Tensor2D, training: boolean, step = 0): { logits: tf.Tensor2D; state: tf.Tensor2D } {
    const [steps, batch] = tokens.shape;
    const h = this.config.hidden;
    const embedded = this.dropout(tf.gather(this.embedding, tf.reshape(tokens, [-1])) as tf.Tensor2D, training, 2 * step);
    // The input half of the first projection for all time steps in one matrix product.
    const xProj = tf.reshape(tf.matMul(embedded, this.w0x as tf.Tensor2D), [steps, batch, 2 * h]) as tf.Tensor3D;
    const outputs = highwayCellSequence(this.arch.nodes, xProj, state, { w0h: this.w0h as tf.Tensor2D, nodes: this.nodeWeights as tf.Tensor2D[] });
    const hLast = tf.slice(outputs, [(steps - 1) * batch, 0], [batch, h]);
    const out = this.dropout(outputs, training, 2 * step + 1);
    const logits = tf.add(tf.matMul(out, this.embedding as tf.Tensor2D, false, true), this.bias) as tf.Tensor2D;
    return { logits, state: hLast };
  }

  dispose(): void {
    this.params.dispose();
  }
}

/** Below this a probability is too close to float32's underflow for its log to be trusted. */
const TINY_PROBABILITY = 1e-30;

/**
 * Mean negative log-likelihood of `targets` [N] under `logits` [N, V], with the gradient
 * (softmax − one-hot) / N written out. Autodiff through logSoftmax costs two exponentials of the
 * whole [N, V] block (and on wasm Exp is a scalar loop: 100 ms for a 1120×10000 block); one
 * softmax (XNNPACK on wasm) serves both directions here. A row's loss is −log p[target]; only
 * when some p[target] is tiny (its logit 69+ below the row's log-sum-exp: a diverging model)
 * do the rows take the log-sum-exp from their largest probability instead, max − log(max p)
 * (max p ≥ 1/V, so that log is exact), which costs two more passes over the block.
 */
export function sparseCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
  const [rows, vocab] = logits.shape;
  const loss = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor2D, tf.GradSaveFunc];
    const probs = tf.softmax(x);
    const at = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(vocab, 'int32')), tf.cast(targets, 'int32'));
    const picked = tf.gather(tf.reshape(probs, [-1]), at);
    const tiny = (picked.dataSync() as Float32Array).some((p) => !(p >= TINY_PROBABILITY));
    const value = tiny
      ? tf.mean(tf.sub(tf.sub(tf.max(x, 1), tf.log(tf.max(probs, 1))), tf.gather(tf.reshape(x, [-1]), at)))
      : tf.neg(tf.mean(tf.log(picked)));
    // Only what is saved outlives the forward pass (targets may have been made inside it).
    save([probs, targets]);
    return {
      value: value as tf.Scalar,
      gradFunc: (dy: tf.Scalar, [p, t]: tf.Tensor[]) => tf.mul(tf.sub(p!, tf.oneHot(tf.cast(t!, 'int32'), vocab, 1, 0, 'float32')), tf.div(dy, rows)),
    };
  });
  return loss(logits);
}
