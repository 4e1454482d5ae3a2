import type { Rng, Scalar, Tensor, Tensor1D, Tensor2D, Tensorflow } from 'nasbench/api';
import type { Layout, PositionLayout } from './layout.js';

export interface ControllerConfig {
  /** 'lstm': ENAS's controller; 'table': independent logits per position (NAS-Bench-201's REINFORCE policy). */
  readonly policy: 'lstm' | 'table';
  readonly hidden: number;
  /** Logits are divided by it before squashing (ENAS's temperature; 1 leaves them). */
  readonly temperature: number;
  /** c in c·tanh(logits) at input choices and at ops; null leaves the logits unsquashed. */
  readonly inputTanh: number | null;
  readonly opTanh: number | null;
}

export interface WeightSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** One initial value, drawn from the run's rng. */
  readonly init: (rng: Rng) => number;
}

/** Weights as plain float32 data by name: what lives between calls, what Adam updates and snapshots hold. */
export type Weights = Map<string, Float32Array>;

/** One sampled (or scored) token sequence with its log-probability and the policy's entropy along it, in nats. */
export interface Sample {
  readonly tokens: number[];
  readonly logProb: number;
  readonly entropy: number;
}

export interface Scored {
  readonly tokens: readonly number[];
  readonly advantage: number;
}

/** ENAS initialises every controller weight uniformly in ±0.1; NAS-Bench-201's table starts at 1e-3 · N(0, 1). */
const ENAS_UNIFORM = (rng: Rng) => 0.2 * rng.float() - 0.1;
const SMALL_NORMAL = (rng: Rng) => 1e-3 * rng.normal();

export function weightSpecs(layout: Layout, config: ControllerConfig): WeightSpec[] {
  const { length, vocabSize: V } = layout;
  if (config.policy === 'table') return [{ name: 'table', shape: [length, V], init: SMALL_NORMAL }];
  const H = config.hidden;
  const spec = (name: string, shape: number[]): WeightSpec => ({ name, shape, init: ENAS_UNIFORM });
  const kinds = new Set(layout.positions.map((p) => p.kind));
  // Only weights that reach the log-probabilities: a gradient cannot be taken for the others.
  return [
    spec('start', [1, H]),
    spec('lstm.kernel', [2 * H, 4 * H]),
    spec('lstm.bias', [4 * H]),
    ...(length > 1 ? [spec('embedding', [V, H])] : []),
    ...(kinds.has('op') ? [spec('op.w', [H, V]), spec('op.b', [V])] : []),
    ...(kinds.has('input')
      ? [spec('attn.w1', [H, H]), spec('attn.w2', [H, H]), spec('attn.v', [H, 1]), spec('attn.key', [layout.inputValues, H])]
      : []),
  ];
}

/** What produces the logits position by position, for a batch of sequences decided one token at a time. */
interface PolicyNet {
  /** Logits [B, n] over the position's allowed tokens, in their order. */
  logits(position: number, layout: PositionLayout): Tensor;
  /** Tells the net the tokens just chosen (one per row). */
  advance(tokens: readonly number[]): void;
}

/** The columns of the allowed tokens of [B, V] logits: a slice when they are consecutive ids, as in every built-in space. */
function allowedColumns(tf: Tensorflow, logits: Tensor, allowed: readonly number[], vocabSize: number): Tensor {
  const first = allowed[0]!;
  if (allowed.every((t, i) => t === first + i)) {
    return allowed.length === vocabSize ? logits : tf.slice(logits, [0, first], [-1, allowed.length]);
  }
  return tf.matMul(logits, tf.oneHot(tf.tensor1d([...allowed], 'int32'), vocabSize), false, true);
}

class TableNet implements PolicyNet {
  constructor(
    private readonly tf: Tensorflow,
    private readonly table: Tensor,
    private readonly batch: number,
    private readonly vocabSize: number,
  ) {}

  logits(position: number, pos: PositionLayout): Tensor {
    const { tf } = this;
    const row = allowedColumns(tf, tf.slice(this.table, [position, 0], [1, this.vocabSize]), pos.allowed, this.vocabSize);
    return this.batch === 1 ? row : tf.tile(row, [this.batch, 1]);
  }

  advance(): void {}
}

/**
 * ENAS's controller: one LSTM layer that reads a learnt start vector and then the embedding of
 * each chosen token. An op is chosen by a linear softmax layer; a node input by attention,
 * v·tanh(W1·anchor + W2·h), over the anchors of the states it may read, an anchor being the
 * controller's state just after that node was decided (all-zero before anything has been). ENAS
 * tells its two cell inputs apart because it runs the LSTM once per input before the first node;
 * here a learnt key per input value does that.
 */
class LstmNet implements PolicyNet {
  private h: Tensor;
  private c: Tensor;
  private x: Tensor;
  private readonly forgetBias: Tensor;
  private readonly keys = new Map<number, Tensor>();

  constructor(
    private readonly tf: Tensorflow,
    private readonly w: ReadonlyMap<string, Tensor>,
    private readonly batch: number,
    private readonly hidden: number,
    private readonly vocabSize: number,
  ) {
    const zeros = tf.zeros([batch, hidden]);
    this.h = zeros;
    this.c = zeros;
    this.x = batch === 1 ? this.get('start') : tf.tile(this.get('start'), [batch, 1]);
    // ENAS's LSTM has no forget bias (its cell has no bias at all; this one learns one).
    this.forgetBias = tf.scalar(0);
  }

  private get(name: string): Tensor {
    const t = this.w.get(name);
    if (t === undefined) throw new Error(`ENAS controller: weight ${name} is missing`);
    return t;
  }

  logits(_position: number, pos: PositionLayout): Tensor {
    const { tf } = this;
    if (pos.kind === 'input') {
      for (const t of pos.arrivals) {
        this.keys.set(t, tf.add(tf.matMul(this.h, this.get('attn.w1')), tf.slice(this.get('attn.key'), [t, 0], [1, this.hidden])));
      }
    }
    // tfjs's BasicLSTMCell: one matMul of [x, h] by a [2H, 4H] kernel, as ENAS's stack_lstm.
    [this.c, this.h] = tf.basicLSTMCell(
      this.forgetBias as Scalar,
      this.get('lstm.kernel') as Tensor2D,
      this.get('lstm.bias') as Tensor1D,
      this.x as Tensor2D,
      this.c as Tensor2D,
      this.h as Tensor2D,
    );
    if (pos.kind === 'op') {
      return allowedColumns(tf, tf.add(tf.matMul(this.h, this.get('op.w')), this.get('op.b')), pos.allowed, this.vocabSize);
    }
    const n = pos.allowed.length;
    // Keys stacked along the leading axis, [n, B, H]: slicing that axis back is a contiguous copy.
    const keys = tf.stack(pos.allowed.map((t) => this.keys.get(t)!));
    const scores = tf.tanh(tf.add(keys, tf.matMul(this.h, this.get('attn.w2'))));
    const logits = tf.reshape(tf.matMul(tf.reshape(scores, [n * this.batch, this.hidden]), this.get('attn.v')), [n, this.batch]);
    return this.batch === 1 ? tf.reshape(logits, [1, n]) : tf.transpose(logits);
  }

  advance(tokens: readonly number[]): void {
    const { tf } = this;
    // One-hot × table rather than gather: gather's gradient is missing on some backends.
    this.x = tf.matMul(tf.oneHot(tf.tensor1d([...tokens], 'int32'), this.vocabSize), this.get('embedding'));
  }
}

/** log-softmax of values[from .. from+n), in float64. */
function logSoftmax(values: ArrayLike<number>, from: number, n: number): number[] {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, values[from + i]!);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(values[from + i]! - max);
  const log = max + Math.log(sum);
  return Array.from({ length: n }, (_, i) => values[from + i]! - log);
}

/** Index of the draw u ∈ [0, 1) in the cumulative distribution exp(logProbs). */
function draw(logProbs: readonly number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < logProbs.length; i++) {
    acc += Math.exp(logProbs[i]!);
    if (u < acc) return i;
  }
  // Rounding can leave the sum a hair under 1.
  return logProbs.length - 1;
}

function argMax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** How a rollout picks the index (into the allowed tokens) of row `row` at a position, from that row's log-probabilities. */
type Pick = (position: number, row: number, logProbs: readonly number[]) => number;

/**
 * The controller as a policy over a space's token sequences: sampling (with log-probabilities and
 * entropies), scoring given sequences, and the REINFORCE gradient of a batch. It holds no tensors:
 * every call uploads the weights it is given and disposes of everything it made, so a searcher
 * keeps plain arrays between calls and a weight-sharing searcher can use the same controller.
 */
export class Controller {
  readonly specs: readonly WeightSpec[];

  constructor(
    readonly layout: Layout,
    readonly config: ControllerConfig,
  ) {
    this.specs = weightSpecs(layout, config);
  }

  /** Fresh weights, every value drawn from `rng`, in spec order. */
  initialWeights(rng: Rng): Weights {
    return new Map(
      this.specs.map((s) => {
        const values = new Float32Array(s.shape.reduce((a, b) => a * b, 1));
        for (let i = 0; i < values.length; i++) values[i] = s.init(rng);
        return [s.name, values];
      }),
    );
  }

  /** `count` sequences drawn from the policy, each token with one `rng.float()` (none where only one token is allowed). */
  sample(tf: Tensorflow, weights: Weights, rng: Rng, count = 1): Sample[] {
    return this.run(tf, weights, count, (_, __, logProbs) => (logProbs.length === 1 ? 0 : draw(logProbs, rng.float())));
  }

  /** The sequence that takes the most probable token at every position. */
  greedy(tf: Tensorflow, weights: Weights): Sample {
    return this.run(tf, weights, 1, (_, __, logProbs) => argMax(logProbs))[0]!;
  }

  /** Log-probability and entropy of given sequences under the policy. */
  score(tf: Tensorflow, weights: Weights, sequences: readonly (readonly number[])[]): Sample[] {
    return this.run(tf, weights, sequences.length, (p, b) => this.index(p, sequences[b]!));
  }

  /**
   * The REINFORCE loss of a batch, −mean(advantage · log π(tokens)), and its gradient with respect
   * to every weight (same names and sizes as the weights).
   */
  gradient(tf: Tensorflow, weights: Weights, batch: readonly Scored[]): { loss: number; gradients: Weights } {
    const { positions } = this.layout;
    // Where each choice sits among the positions' logits laid side by side, weighted by its advantage.
    const chosen = positions.filter((pos) => pos.allowed.length > 1);
    const width = chosen.reduce((sum, pos) => sum + pos.allowed.length, 0);
    const weighting = new Float32Array(batch.length * width);
    batch.forEach((s, b) => {
      let offset = 0;
      positions.forEach((pos, p) => {
        if (pos.allowed.length === 1) return;
        weighting[b * width + offset + this.index(p, s.tokens)] = s.advantage / batch.length;
        offset += pos.allowed.length;
      });
    });
    let result: { loss: number; gradients: Weights } | undefined;
    tf.tidy(() => {
      const inputs = this.upload(tf, weights);
      const mask = tf.tensor2d(weighting, [batch.length, width]);
      const { value, grads } = tf.valueAndGrads((...ws: Tensor[]) => {
        const named = new Map(this.specs.map((s, k) => [s.name, ws[k]!]));
        const logits = this.rollout(tf, named, batch.length, (p) => batch.map((s) => this.index(p, s.tokens)));
        const logProbs = logits.filter((_, p) => positions[p]!.allowed.length > 1).map((l) => tf.logSoftmax(l));
        return tf.neg(tf.sum(tf.mul(logProbs.length === 1 ? logProbs[0]! : tf.concat(logProbs, 1), mask)));
      })(inputs);
      result = {
        loss: value.dataSync()[0]!,
        gradients: new Map(this.specs.map((s, k) => [s.name, (grads[k]!.dataSync() as Float32Array).slice()])),
      };
    });
    if (!Number.isFinite(result!.loss)) this.diverged(`the REINFORCE loss is ${result!.loss}`);
    for (const [name, g] of result!.gradients) if (!g.every(Number.isFinite)) this.diverged(`the gradient of weight ${name} holds non-finite numbers`);
    return result!;
  }

  /**
   * A policy in NaN samples the same tokens forever while the run looks healthy (an update with a
   * NaN gradient would make it so): the searcher stops, and the run fails with the reason.
   */
  private diverged(what: string): never {
    throw new Error(`ENAS controller: ${what} (temperature ${this.config.temperature}): a larger temperature or a smaller lr keeps the controller in range`);
  }

  private index(position: number, tokens: readonly number[]): number {
    const allowed = this.layout.positions[position]!.allowed;
    const i = allowed.indexOf(tokens[position]!);
    if (i < 0) throw new Error(`ENAS controller: token ${tokens[position]} is not allowed at position ${position}`);
    return i;
  }

  private upload(tf: Tensorflow, weights: Weights): Tensor[] {
    return this.specs.map((s) => {
      const values = weights.get(s.name);
      if (values === undefined) throw new Error(`ENAS controller: weight ${s.name} is missing`);
      return tf.tensor(values, [...s.shape]);
    });
  }

  /**
   * A rollout without gradients: every position's logits are read back, and log-probabilities,
   * entropies and choices computed from them in plain arithmetic (cheaper than more tfjs ops on
   * tensors of a dozen values).
   */
  private run(tf: Tensorflow, weights: Weights, batch: number, pick: Pick): Sample[] {
    const rows = Array.from({ length: batch }, () => ({ tokens: [] as number[], logProb: 0, entropy: 0 }));
    tf.tidy(() => {
      const inputs = this.upload(tf, weights);
      const named = new Map(this.specs.map((s, k) => [s.name, inputs[k]!]));
      this.rollout(tf, named, batch, (p, logits) => {
        const allowed = this.layout.positions[p]!.allowed;
        const n = allowed.length;
        const values = logits.dataSync();
        if (!values.every(Number.isFinite)) this.diverged(`the logits at position ${p} hold non-finite numbers`);
        return rows.map((row, b) => {
          const logProbs = logSoftmax(values, b * n, n);
          const i = pick(p, b, logProbs);
          row.tokens.push(allowed[i]!);
          row.logProb += logProbs[i]!;
          row.entropy -= logProbs.reduce((sum, lp) => sum + Math.exp(lp) * lp, 0);
          return i;
        });
      });
    });
    return rows;
  }

  /** Decides the positions in order; returns each position's (squashed) logits, [B, n]. */
  private rollout(tf: Tensorflow, w: ReadonlyMap<string, Tensor>, batch: number, choose: (position: number, logits: Tensor) => number[]): Tensor[] {
    const { layout, config } = this;
    const net: PolicyNet =
      config.policy === 'table'
        ? new TableNet(tf, w.get('table')!, batch, layout.vocabSize)
        : new LstmNet(tf, w, batch, config.hidden, layout.vocabSize);
    return layout.positions.map((pos, p) => {
      const logits = this.squash(tf, net.logits(p, pos), pos.kind);
      net.advance(choose(p, logits).map((i) => pos.allowed[i]!));
      return logits;
    });
  }

  /** ENAS's logit shaping: divide by the temperature, then c·tanh to bound how sure the policy may get. */
  private squash(tf: Tensorflow, logits: Tensor, kind: PositionLayout['kind']): Tensor {
    const { temperature, inputTanh, opTanh } = this.config;
    const scaled = temperature === 1 ? logits : tf.div(logits, temperature);
    const c = kind === 'input' ? inputTanh : opTanh;
    return c === null ? scaled : tf.mul(tf.tanh(scaled), c);
  }
}
