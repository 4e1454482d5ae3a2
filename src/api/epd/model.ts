import type { Tensorflow } from '../plugin.js';
import { type LstmGates, lstmStep, projectSequence, projectStep, runLstm, splitGates } from './lstm.js';
import type { ModelConfig } from './settings.js';
import type { Tensor, Variable } from '../kit/tensors.js';

/** One weight as plain data: what lives between iterations and goes into snapshots. */
export interface WeightArray {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

/** All weights of an EPD by name, in a fixed order. */
export type EpdWeights = ReadonlyMap<string, WeightArray>;

/** The encoder's result for a batch: per-step outputs (attended to by the decoder) and their pooled embedding. */
export interface Encoding {
  /** [B, steps, H], each step L2-normalised. */
  readonly outputs: Tensor;
  /** [B, H], L2-normalised. */
  readonly embedding: Tensor;
}

export interface Dropout {
  readonly rate: number;
  readonly seed: number;
}

type Init = { readonly kind: 'normal' } | { readonly kind: 'uniform'; readonly bound: number };

interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: Init;
}

/** Added to the logits of tokens the grammar forbids at a position. */
const MASKED = -1e9;

/** Every weight of the model, with PyTorch's default initialisation (which the published code relies on). */
export function weightSpecs(c: ModelConfig): WeightSpec[] {
  const uniform = (fanIn: number): Init => ({ kind: 'uniform', bound: 1 / Math.sqrt(fanIn) });
  const lstm = (prefix: string, inputWidth: number): WeightSpec[] => [
    { name: `${prefix}.wx`, shape: [4, inputWidth, c.hidden], init: uniform(c.hidden) },
    { name: `${prefix}.wh`, shape: [4, c.hidden, c.hidden], init: uniform(c.hidden) },
    { name: `${prefix}.b`, shape: [4, c.hidden], init: uniform(c.hidden) },
  ];
  const dense = (prefix: string, fanIn: number, fanOut: number): WeightSpec[] => [
    { name: `${prefix}.w`, shape: [fanIn, fanOut], init: uniform(fanIn) },
    { name: `${prefix}.b`, shape: [fanOut], init: uniform(fanIn) },
  ];
  const widths = [c.hidden, ...Array.from({ length: c.mlpLayers }, () => c.mlpHidden)];
  return [
    { name: 'encoder.embedding', shape: [c.vocabSize, c.embedding], init: { kind: 'normal' } },
    ...lstm('encoder.lstm', c.tokensPerStep * c.embedding),
    ...widths.slice(1).flatMap((w, l) => dense(`predictor.${l}`, widths[l]!, w)),
    ...dense('predictor.out', widths[widths.length - 1]!, 1),
    // One more row than the vocabulary: the start token the decoder reads first.
    { name: 'decoder.embedding', shape: [c.vocabSize + 1, c.embedding], init: { kind: 'normal' } },
    ...lstm('decoder.lstm', c.embedding),
    { name: 'decoder.attention.query', shape: [c.hidden, c.hidden], init: uniform(c.hidden) },
    { name: 'decoder.attention.context', shape: [c.hidden, c.hidden], init: uniform(2 * c.hidden) },
    { name: 'decoder.attention.state', shape: [c.hidden, c.hidden], init: uniform(2 * c.hidden) },
    ...dense('decoder.out', c.hidden, c.vocabSize),
  ];
}

/** Fresh weights; `seed` supplies one integer per weight (from the run's rng) so that runs are reproducible. */
export function initialWeights(tf: Tensorflow, c: ModelConfig, seed: () => number): EpdWeights {
  return new Map(
    weightSpecs(c).map((s) => {
      const t =
        s.init.kind === 'normal'
          ? tf.randomNormal([...s.shape], 0, 1, 'float32', seed())
          : tf.randomUniform([...s.shape], -s.init.bound, s.init.bound, 'float32', seed());
      const values = (t.dataSync() as Float32Array).slice();
      t.dispose();
      return [s.name, { shape: s.shape, values }];
    }),
  );
}

/**
 * Step outputs [B, H] as one [B, steps, H]. Stacking along the leading axis and transposing is
 * much cheaper to differentiate on the cpu backend than stacking along axis 1, whose gradient
 * slices that axis.
 */
function batchMajor(tf: Tensorflow, steps: readonly Tensor[]): Tensor {
  return tf.transpose(tf.stack([...steps]), [1, 0, 2]);
}

/** x / max(‖x‖, ε) along the last axis. */
export function l2Normalize(tf: Tensorflow, x: Tensor): Tensor {
  return tf.mul(x, tf.rsqrt(tf.maximum(tf.sum(tf.square(x), -1, true), 1e-24)));
}

/**
 * NAO's encoder-predictor-decoder, live on a tf backend for the length of one iteration. Weights
 * are loaded from and exported to plain arrays, so nothing stays on the backend between calls.
 * Sequences are time-major inside (steps along the leading axis) because slicing that axis is a
 * contiguous copy.
 */
export class Epd {
  private readonly vars: ReadonlyMap<string, Variable>;
  /** [length, V]: 0 where the grammar allows a token at that position, MASKED elsewhere. */
  private readonly mask: Tensor;
  private readonly maskRows: Tensor[];

  constructor(
    private readonly tf: Tensorflow,
    readonly config: ModelConfig,
    weights: EpdWeights,
    allowed: (position: number) => readonly number[],
  ) {
    this.vars = new Map(
      weightSpecs(config).map((s) => [s.name, tf.tidy(() => tf.variable(tf.tensor(weights.get(s.name)!.values.slice(), [...s.shape])))]),
    );
    const mask = new Float32Array(config.length * config.vocabSize).fill(MASKED);
    for (let p = 0; p < config.length; p++) for (const t of allowed(p)) mask[p * config.vocabSize + t] = 0;
    this.mask = tf.tensor2d(mask, [config.length, config.vocabSize]);
    this.maskRows = tf.unstack(this.mask);
  }

  get trainable(): Variable[] {
    return [...this.vars.values()];
  }

  export(): EpdWeights {
    return new Map([...this.vars].map(([name, v]) => [name, { shape: v.shape, values: (v.dataSync() as Float32Array).slice() }]));
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.mask.dispose();
    for (const r of this.maskRows) r.dispose();
  }

  private v(name: string): Variable {
    return this.vars.get(name)!;
  }

  /**
   * Rows of an embedding table, as one-hot × table: gather would be cheaper, but its gradient
   * (UnsortedSegmentSum) is missing on some backends, and the vocabularies are a few dozen tokens.
   */
  private embed(table: string, ids: Tensor): Tensor {
    const t = this.v(table);
    return this.tf.matMul(this.tf.oneHot(ids, t.shape[0]!), t);
  }

  private lstm(prefix: string): LstmGates {
    return splitGates(this.tf, { wx: this.v(`${prefix}.wx`), wh: this.v(`${prefix}.wh`), b: this.v(`${prefix}.b`) });
  }

  encode(sequences: readonly (readonly number[])[]): Encoding {
    const { tf, config: c } = this;
    const batch = sequences.length;
    const steps = c.length / c.tokensPerStep;
    // Laid out [step, batch, token-in-step]: consecutive tokens of a step become one wider input.
    const ids = new Int32Array(c.length * batch);
    sequences.forEach((seq, b) => {
      for (let p = 0; p < c.length; p++) {
        const step = Math.floor(p / c.tokensPerStep);
        ids[(step * batch + b) * c.tokensPerStep + (p % c.tokensPerStep)] = seq[p]!;
      }
    });
    const x = tf.reshape(this.embed('encoder.embedding', tf.tensor1d(ids, 'int32')), [steps, batch, -1]);
    const zeros = tf.zeros([batch, c.hidden]);
    const lstm = this.lstm('encoder.lstm');
    const hs = runLstm(tf, lstm, projectSequence(tf, lstm, x), { h: zeros, c: zeros });
    const outputs = l2Normalize(tf, batchMajor(tf, hs));
    return { outputs, embedding: this.pool(outputs) };
  }

  /** Mean over steps, normalised: the architecture embedding the predictor reads and the decoder starts from. */
  pool(outputs: Tensor): Tensor {
    return l2Normalize(this.tf, this.tf.mean(outputs, 1));
  }

  /** Predicted normalised performance, [B]. */
  predict(embedding: Tensor, dropout?: Dropout): Tensor {
    const { tf, config: c } = this;
    let x = embedding;
    for (let l = 0; l < c.mlpLayers; l++) {
      x = tf.relu(tf.add(tf.matMul(x, this.v(`predictor.${l}.w`)), this.v(`predictor.${l}.b`)));
      if (dropout && dropout.rate > 0) x = tf.dropout(x, dropout.rate, undefined, dropout.seed + l);
    }
    return tf.reshape(tf.sigmoid(tf.add(tf.matMul(x, this.v('predictor.out.w')), this.v('predictor.out.b'))), [-1]);
  }

  /** Log-probabilities [B, length, V] of each token given the ones before it (teacher forcing), grammar-masked. */
  logProbs(encoding: Encoding, sequences: readonly (readonly number[])[]): Tensor {
    const { tf, config: c } = this;
    const batch = sequences.length;
    const ids = new Int32Array(c.length * batch);
    sequences.forEach((seq, b) => {
      ids[b] = c.vocabSize;
      for (let p = 1; p < c.length; p++) ids[p * batch + b] = seq[p - 1]!;
    });
    const x = tf.reshape(this.embed('decoder.embedding', tf.tensor1d(ids, 'int32')), [c.length, batch, c.embedding]);
    const lstm = this.lstm('decoder.lstm');
    const start = encoding.embedding;
    const hs = runLstm(tf, lstm, projectSequence(tf, lstm, x), { h: start, c: start });
    const logits = this.attend(batchMajor(tf, hs), encoding.outputs);
    return tf.logSoftmax(tf.add(logits, this.mask));
  }

  /** The most likely sequence, token by token, each drawn from what the grammar allows at its position: [B, length] int32. */
  greedyDecode(encoding: Encoding): Tensor {
    const { tf, config: c } = this;
    const batch = encoding.embedding.shape[0]!;
    const lstm = this.lstm('decoder.lstm');
    let state = { h: encoding.embedding, c: encoding.embedding };
    let previous: Tensor = tf.fill([batch], c.vocabSize, 'int32');
    const tokens: Tensor[] = [];
    for (let p = 0; p < c.length; p++) {
      state = lstmStep(tf, lstm, projectStep(tf, lstm, this.embed('decoder.embedding', previous)), state);
      const logits = tf.reshape(this.attend(tf.reshape(state.h, [batch, 1, c.hidden]), encoding.outputs), [batch, c.vocabSize]);
      previous = tf.argMax(tf.add(logits, this.maskRows[p]!), 1);
      tokens.push(previous);
    }
    return tf.stack(tokens, 1);
  }

  /**
   * Attention as in the published decoder (a learnt query projection, dot products with the
   * encoder outputs, tanh of a projection of [context; state]), then the output layer:
   * [B, Q, H] decoder states → [B, Q, V] logits.
   */
  private attend(states: Tensor, outputs: Tensor): Tensor {
    const { tf, config: c } = this;
    const [batch, queries] = states.shape as [number, number, number];
    const flat = tf.reshape(states, [batch * queries, c.hidden]);
    const query = tf.reshape(tf.matMul(flat, this.v('decoder.attention.query')), [batch, queries, c.hidden]);
    const weights = tf.softmax(tf.matMul(query, outputs, false, true));
    const context = tf.reshape(tf.matMul(weights, outputs), [batch * queries, c.hidden]);
    // Two matMuls rather than one over [context; state]: concatenating along the last axis would
    // differentiate into strided slices.
    const mixed = tf.tanh(
      tf.add(tf.matMul(context, this.v('decoder.attention.context')), tf.matMul(flat, this.v('decoder.attention.state'))),
    );
    return tf.reshape(tf.add(tf.matMul(mixed, this.v('decoder.out.w')), this.v('decoder.out.b')), [batch, queries, c.vocabSize]);
  }
}
