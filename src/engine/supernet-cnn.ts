import { Rng } from '../api/index.js';
import { CNN_NODES, CNN_OPS, type CnnMicroArch, type CnnNode, type CnnOp } from '../spaces/cnn-micro.js';
import type { CnnNetConfig } from './cnn-net.js';
import { channelStats, fillBatch, NO_AUGMENTATION, type Augmentation, type ImageData } from './image-batches.js';
import type { Stride } from './layers.js';
import { mixSeed, SupernetBase, type ExtraState, type SupernetScore, type SupernetTraining } from './supernet.js';
import * as tf from './tf.js';

export interface CnnSupernetData {
  readonly train: ImageData;
  readonly valid: ImageData;
}

export interface CnnSupernetOptions {
  readonly batchSize: number;
  readonly validBatchSize: number;
  readonly augment: Augmentation;
  readonly training: SupernetTraining;
}

/** The shared weights of one cell layer. */
interface CellWeights {
  readonly reduction: boolean;
  readonly channels: number;
  readonly in0IsLarger: boolean;
  /** 1×1 preprocessing filters of the two inputs (the outputs of the cells two back and one back, or the stem). */
  readonly pre0: tf.Variable;
  readonly pre1: tf.Variable;
  /** Per `${node}:${input}:${op}`: a separable conv's [depthwise, pointwise], a strided identity's [1×1 filter]. */
  readonly ops: ReadonlyMap<string, readonly tf.Variable[]>;
}

type Module = (x: tf.Tensor4D) => tf.Tensor4D;
/** A cell's output: the outputs of its loose ends (the child network concatenates them). */
type Parts = readonly tf.Tensor4D[];

/** One architecture's path through the supernet: the variables it uses, in order, and its forward pass. */
interface Plan {
  readonly variables: tf.Variable[];
  forward(x: tf.Tensor4D): tf.Tensor2D;
}

/**
 * Batch normalisation over [B, H, W] without scale or offset: x̂ = (x − μ)/√(σ² + ε) with the
 * batch's mean and (biased) variance. Its gradient, r·(dy − mean(dy) − x̂·mean(dy·x̂)), is written
 * out: a handful of kernels instead of the several dozen autodiff makes of moments + batchNorm,
 * which is most of a small supernet step.
 */
export const normalize = tf.customGrad(((x: tf.Tensor4D, save: tf.GradSaveFunc) => {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  const rstd = tf.rsqrt(tf.add(variance, 1e-5));
  const xhat = tf.mul(tf.sub(x, mean), rstd) as tf.Tensor4D;
  save([xhat, rstd]);
  return {
    value: xhat,
    gradFunc: (dy: tf.Tensor4D, saved: tf.Tensor[]) => {
      const [xh, r] = saved as [tf.Tensor4D, tf.Tensor1D];
      const centred = tf.sub(dy, tf.mean(dy, [0, 1, 2]));
      return tf.mul(tf.sub(centred, tf.mul(xh, tf.mean(tf.mul(dy, xh), [0, 1, 2]))), r);
    },
  };
}) as unknown as Parameters<typeof tf.customGrad<tf.Tensor4D>>[0]) as (x: tf.Tensor4D) => tf.Tensor4D;

const opKey = (node: number, input: number, op: CnnOp) => `${node}:${input}:${op}`;

/**
 * A cnn-micro supernet (ENAS micro search): the child network of `CnnMicroNet` — stem, three
 * stages of N normal cells with reduction cells between, global pooling, classifier — with a
 * weight for every (cell layer, node, input, op) choice. A cell's output is its loose ends; the
 * next cells' 1×1 preprocessing uses one filter for every one of them (a conv over their
 * concatenation with the filter repeated), because a node's number means something different in
 * every architecture: with one filter slice per node (ENAS), training on randomly sampled
 * architectures did not learn even a trivial task. Before pooling, the last cell's output
 * is preprocessed the same way back to C channels, so that one classifier sees features of one
 * scale whatever the architecture. Batch normalisation has no learned scale or offset and always
 * uses the statistics of the batch at hand (training and scoring alike).
 */
export class CnnSupernet extends SupernetBase<CnnMicroArch> {
  readonly epochSteps: number;
  readonly validBatches: number;
  private readonly stem: tf.Variable;
  private readonly cells: CellWeights[] = [];
  /** The last cell's output back to C channels, as a next cell's preprocessing would. */
  private readonly head: tf.Variable;
  private readonly classifier: tf.Variable;
  private readonly classifierBias: tf.Variable;
  private readonly stats: { mean: number[]; std: number[] };
  private epochOrder: { epoch: number; order: number[] } | null = null;
  private validOrder: { pass: number; order: number[] } | null = null;

  constructor(
    readonly config: CnnNetConfig,
    private readonly data: CnnSupernetData,
    private readonly options: CnnSupernetOptions,
    seed: number,
  ) {
    super('cnn-micro', seed, options.training);
    if (data.train.count < options.batchSize) throw new Error(`the supernet needs at least one training batch of ${options.batchSize} images, got ${data.train.count}`);
    if (data.valid.count === 0) throw new Error('the supernet needs validation images');
    this.epochSteps = Math.floor(data.train.count / options.batchSize);
    this.validBatches = Math.ceil(data.valid.count / options.validBatchSize);
    this.stats = channelStats(data.train);
    const p = this.params;
    const [, , inChannels] = config.inputShape;
    let channels = config.filters;
    this.stem = p.heNormal([3, 3, inChannels, channels], 9 * inChannels);
    let [c0, c1, in0IsLarger] = [channels, channels, false];
    const addCell = (reduction: boolean) => {
      const pre0 = p.heNormal([1, 1, c0, channels], c0);
      const pre1 = p.heNormal([1, 1, c1, channels], c1);
      const ops = new Map<string, tf.Variable[]>();
      for (let node = 0; node < CNN_NODES; node++) {
        for (let input = 0; input < node + 2; input++) {
          for (const op of CNN_OPS) {
            const vars = this.makeOp(op, channels, reduction && input < 2 ? 2 : 1);
            if (vars.length > 0) ops.set(opKey(node, input, op), vars);
          }
        }
      }
      this.cells.push({ reduction, channels, in0IsLarger, pre0, pre1, ops });
      [c0, c1, in0IsLarger] = [c1, channels, reduction];
    };
    for (let stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        channels *= 2;
        addCell(true);
      }
      for (let i = 0; i < config.cellsPerStage; i++) addCell(false);
    }
    this.head = p.heNormal([1, 1, channels, channels], channels);
    this.classifier = p.uniform([channels, config.classes], Math.sqrt(1 / channels));
    this.classifierBias = p.zeros([config.classes]);
  }

  private makeOp(op: CnnOp, channels: number, stride: Stride): tf.Variable[] {
    const p = this.params;
    switch (op) {
      case 'sep_conv_3x3':
      case 'sep_conv_5x5': {
        const k = op === 'sep_conv_3x3' ? 3 : 5;
        return [p.heNormal([k, k, channels, 1], k * k), p.heNormal([1, 1, channels, channels], channels)];
      }
      case 'identity':
        return stride === 2 ? [p.heNormal([1, 1, channels, channels], channels)] : [];
      case 'avg_pool_3x3':
      case 'max_pool_3x3':
        return [];
    }
  }

  /** Batch normalisation without affine parameters, on the batch's own statistics. */
  private norm(x: tf.Tensor4D): tf.Tensor4D {
    return normalize(x);
  }

  private module(op: CnnOp, vars: readonly tf.Variable[], stride: Stride): Module {
    switch (op) {
      case 'sep_conv_3x3':
      case 'sep_conv_5x5': {
        const [depthwise, pointwise] = vars as [tf.Variable, tf.Variable];
        return (x) => this.norm(tf.conv2d(tf.depthwiseConv2d(tf.relu(x), depthwise as tf.Tensor4D, stride, 'same'), pointwise as tf.Tensor4D, 1, 'same'));
      }
      case 'avg_pool_3x3':
        return (x) => tf.avgPool(x, 3, stride, 'same');
      case 'max_pool_3x3':
        return (x) => tf.maxPool(x, 3, stride, 'same');
      case 'identity': {
        if (stride === 1) return (x) => x;
        const [filter] = vars as [tf.Variable];
        return (x) => this.norm(tf.conv2d(tf.relu(x), filter as tf.Tensor4D, 2, 'same'));
      }
    }
  }

  usedBy(arch: CnnMicroArch): tf.Variable[] {
    return this.plan(arch).variables;
  }

  /** The subnetwork of `arch`: which variables it reads and how. */
  private plan(arch: CnnMicroArch): Plan {
    const variables: tf.Variable[] = [];
    const seen = new Set<tf.Variable>();
    const use = <T extends readonly tf.Variable[]>(vars: T): T => {
      for (const v of vars) if (!seen.has(v)) (seen.add(v), variables.push(v));
      return vars;
    };
    /**
     * ReLU → 1×1 conv → BN over a cell's output, with one filter for every part: a conv over the
     * concatenation whose filter repeats for each part, computed as the conv of their sum.
     */
    const preprocess = (filter: tf.Variable, stride: Stride) => {
      use([filter]);
      return (parts: Parts) => {
        const x = parts.length === 1 ? tf.relu(parts[0] as tf.Tensor4D) : tf.addN(parts.map((t) => tf.relu(t)));
        return this.norm(tf.conv2d(x, filter as tf.Tensor4D, stride, 'same'));
      };
    };
    use([this.stem]);
    const cells = this.cells.map((cell) => {
      const nodes: readonly CnnNode[] = cell.reduction ? arch.reduce : arch.normal;
      const pre0 = preprocess(cell.pre0, cell.in0IsLarger ? 2 : 1);
      const pre1 = preprocess(cell.pre1, 1);
      const branches = nodes.map((node, k) => {
        // Both branches may make the same choice: they then share its weights, and the node doubles it.
        const same = node[0].input === node[1].input && node[0].op === node[1].op;
        return (same ? [node[0]] : node).map((b) => {
          const stride: Stride = cell.reduction && b.input < 2 ? 2 : 1;
          const vars = use(cell.ops.get(opKey(k, b.input, b.op)) ?? []);
          return { input: b.input, times: same ? 2 : 1, module: this.module(b.op, vars, stride) };
        });
      });
      const read = new Set(nodes.flatMap((n) => n.map((b) => b.input)));
      const looseEnds = Array.from({ length: CNN_NODES }, (_, k) => k).filter((k) => !read.has(k + 2));
      return { pre0, pre1, branches, looseEnds };
    });
    const head = preprocess(this.head, 1);
    use([this.classifier, this.classifierBias]);
    return {
      variables,
      forward: (x) => {
        const first: Parts = [this.norm(tf.conv2d(x, this.stem as tf.Tensor4D, 1, 'same'))];
        let [t0, t1] = [first, first];
        for (const cell of cells) {
          const states = [cell.pre0(t0), cell.pre1(t1)];
          for (const node of cell.branches) {
            const outs = node.map((b) => (b.times === 1 ? b.module(states[b.input] as tf.Tensor4D) : tf.mul(b.module(states[b.input] as tf.Tensor4D), b.times)));
            states.push(outs.length === 1 ? (outs[0] as tf.Tensor4D) : tf.add(outs[0] as tf.Tensor4D, outs[1] as tf.Tensor4D));
          }
          [t0, t1] = [t1, cell.looseEnds.map((k) => states[k + 2] as tf.Tensor4D)];
        }
        const pooled = tf.mean(tf.relu(head(t1)), [1, 2]) as tf.Tensor2D;
        return tf.add(tf.matMul(pooled, this.classifier as tf.Tensor2D), this.classifierBias);
      },
    };
  }

  private batch(data: ImageData, indices: readonly number[], augment: Augmentation, rng: Rng | null) {
    const { height: h, width: w, channels: c } = data;
    const pixels = new Float32Array(indices.length * h * w * c);
    const labels = new Int32Array(indices.length);
    fillBatch(data, indices, this.stats, augment, rng, pixels, labels);
    return { x: tf.tensor4d(pixels, [indices.length, h, w, c]), y: tf.tensor1d(labels, 'int32') };
  }

  /** Each epoch's order and each step's augmentation follow from the seed and the step number alone. */
  private trainingIndices(step: number): number[] {
    const epoch = Math.floor(step / this.epochSteps);
    if (this.epochOrder?.epoch !== epoch) {
      const all = Array.from({ length: this.data.train.count }, (_, i) => i);
      this.epochOrder = { epoch, order: Rng.seeded(mixSeed(this.seed, 2 * epoch)).shuffled(all) };
    }
    const b = step % this.epochSteps;
    return this.epochOrder.order.slice(b * this.options.batchSize, (b + 1) * this.options.batchSize);
  }

  trainStep(arch: CnnMicroArch, lr = this.learningRate()): number {
    const plan = this.plan(arch);
    const step = this.step;
    const augmentation = Rng.seeded(mixSeed(this.seed, 2 * step + 1));
    const { x, y } = this.batch(this.data.train, this.trainingIndices(step), this.options.augment, augmentation);
    try {
      return this.update(plan.variables, () => tf.losses.softmaxCrossEntropy(tf.oneHot(y, this.config.classes), plan.forward(x)) as tf.Scalar, lr);
    } finally {
      tf.dispose([x, y]);
    }
  }

  /** Validation minibatch `b` of pass `pass` (unfixed scoring shuffles each pass; fixed scoring uses pass −1, the stored order). */
  private validIndices(b: number, pass: number): number[] {
    if (this.validOrder?.pass !== pass) {
      const all = Array.from({ length: this.data.valid.count }, (_, i) => i);
      this.validOrder = { pass, order: pass < 0 ? all : Rng.seeded(mixSeed(this.seed ^ 0x5eed, pass)).shuffled(all) };
    }
    return this.validOrder.order.slice(b * this.options.validBatchSize, (b + 1) * this.options.validBatchSize);
  }

  score(arch: CnnMicroArch, batches: number, fixed: boolean): SupernetScore {
    const plan = this.plan(arch);
    let [correct, lossSum, images] = [0, 0, 0];
    for (let i = 0; i < batches; i++) {
      const at = fixed ? i : this.validCursor++;
      const indices = fixed ? this.validIndices(at, -1) : this.validIndices(at % this.validBatches, Math.floor(at / this.validBatches));
      const [hits, loss] = tf.tidy(() => {
        const { x, y } = this.batch(this.data.valid, indices, NO_AUGMENTATION, null);
        const logits = plan.forward(x);
        const ce = tf.sum(tf.losses.softmaxCrossEntropy(tf.oneHot(y, this.config.classes), logits, undefined, undefined, tf.Reduction.NONE));
        return [tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), y), 'int32')).dataSync()[0] as number, ce.dataSync()[0] as number];
      });
      correct += hits;
      lossSum += loss;
      images += indices.length;
    }
    return { metrics: { valid_acc: (100 * correct) / images, valid_loss: lossSum / images }, batches };
  }

  protected extraState(): ExtraState {
    return {};
  }

  protected restoreExtra(): void {}

}
