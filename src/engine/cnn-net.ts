import * as tf from './tf.js';
import { CNN_NODES, type CnnMicroArch, type CnnNode, type CnnOp } from '../spaces/cnn-micro.js';
import { BatchNorm, Dense, ReluConvBn, SepConv, type Stride } from './layers.js';
import { Params } from './params.js';

export interface CnnNetConfig {
  /** Height, width, channels of an input image. */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** F: channels of the first stage; each reduction doubles them. */
  readonly filters: number;
  /** N: normal cells per stage (three stages, a reduction cell between stages). */
  readonly cellsPerStage: number;
}

type Module = (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;

function opModule(p: Params, op: CnnOp, channels: number, stride: Stride): Module {
  switch (op) {
    case 'sep_conv_3x3':
    case 'sep_conv_5x5': {
      const conv = new SepConv(p, channels, op === 'sep_conv_3x3' ? 3 : 5, stride);
      return (x, training) => conv.apply(x, training);
    }
    case 'avg_pool_3x3':
      return (x) => tf.avgPool(x, 3, stride, 'same');
    case 'max_pool_3x3':
      return (x) => tf.maxPool(x, 3, stride, 'same');
    case 'identity': {
      if (stride === 1) return (x) => x;
      // Identity across a reduction: a strided 1×1 convolution keeps the channels and halves the size.
      const reduce = new ReluConvBn(p, channels, channels, 1, 2);
      return (x, training) => reduce.apply(x, training);
    }
  }
}

/**
 * One NAO/ENAS micro cell. Its two inputs are first mapped to C channels (ReLU-conv1×1-BN, strided
 * when the older input is twice the size); node k sums two ops over earlier states; the output
 * concatenates the nodes no other node reads (the loose ends), as in ENAS and NAO.
 */
class Cell {
  private readonly pre0: ReluConvBn;
  private readonly pre1: ReluConvBn;
  private readonly branches: { input: number; module: Module }[][];
  private readonly looseEnds: number[];
  readonly outChannels: number;

  constructor(p: Params, nodes: readonly CnnNode[], reduction: boolean, in0: number, in1: number, in0IsLarger: boolean, channels: number) {
    this.pre0 = new ReluConvBn(p, in0, channels, 1, in0IsLarger ? 2 : 1);
    this.pre1 = new ReluConvBn(p, in1, channels, 1);
    this.branches = nodes.map((node) =>
      node.map((b) => ({ input: b.input, module: opModule(p, b.op, channels, reduction && b.input < 2 ? 2 : 1) })),
    );
    const used = new Set(nodes.flatMap((n) => n.map((b) => b.input)));
    this.looseEnds = Array.from({ length: CNN_NODES }, (_, k) => k + 2).filter((s) => !used.has(s));
    this.outChannels = this.looseEnds.length * channels;
  }

  apply(s0: tf.Tensor4D, s1: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const states = [this.pre0.apply(s0, training), this.pre1.apply(s1, training)];
    for (const node of this.branches) {
      const [a, b] = node.map((br) => br.module(states[br.input] as tf.Tensor4D, training)) as [tf.Tensor4D, tf.Tensor4D];
      states.push(tf.add(a, b));
    }
    const ends = this.looseEnds.map((s) => states[s] as tf.Tensor4D);
    return ends.length === 1 ? (ends[0] as tf.Tensor4D) : tf.concat(ends, 3);
  }
}

/** A CNN built from a searched cell pair: stem, three stages of N normal cells with reduction cells between, global pooling, classifier. */
export class CnnMicroNet {
  readonly params: Params;
  private readonly stem: tf.Variable;
  private readonly stemBn: BatchNorm;
  private readonly cells: Cell[] = [];
  private readonly classifier: Dense;

  constructor(arch: CnnMicroArch, readonly config: CnnNetConfig, seed: number) {
    const p = (this.params = new Params(seed));
    const [, , inChannels] = config.inputShape;
    let channels = config.filters;
    this.stem = p.heNormal([3, 3, inChannels, channels], 9 * inChannels);
    this.stemBn = new BatchNorm(p, channels);
    let [c0, c1, in0IsLarger] = [channels, channels, false];
    for (let stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        channels *= 2;
        const cell = new Cell(p, arch.reduce, true, c0, c1, in0IsLarger, channels);
        this.cells.push(cell);
        [c0, c1, in0IsLarger] = [c1, cell.outChannels, true];
      }
      for (let i = 0; i < config.cellsPerStage; i++) {
        const cell = new Cell(p, arch.normal, false, c0, c1, in0IsLarger, channels);
        this.cells.push(cell);
        [c0, c1, in0IsLarger] = [c1, cell.outChannels, false];
      }
    }
    this.classifier = new Dense(p, c1, config.classes);
  }

  /** Logits for a batch of images [B, H, W, C]. */
  forward(x: tf.Tensor4D, training: boolean): tf.Tensor2D {
    const stem = this.stemBn.apply(tf.conv2d(x, this.stem as tf.Tensor4D, 1, 'same'), training);
    let [s0, s1] = [stem, stem];
    for (const cell of this.cells) [s0, s1] = [s1, cell.apply(s0, s1, training)];
    return this.classifier.apply(tf.mean(tf.relu(s1), [1, 2]) as tf.Tensor2D);
  }

  dispose(): void {
    this.params.dispose();
  }
}
