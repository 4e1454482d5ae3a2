import * as tf from './tf.js';
import type { Nb201Arch, Nb201Op } from '../spaces/nb201.js';
import { BatchNorm } from './layers.js';
import { Params } from './params.js';

/**
 * The NAS-Bench-201 network ("TinyNetwork" of the benchmark's reference code): a 3×3 stem with
 * batch normalisation; three stages of N cells at C, 2C and 4C channels with a residual reduction
 * block between stages; final BN-ReLU, global average pooling and a linear classifier.
 */
export interface Nb201NetConfig {
  /** Height, width, channels of an input image. */
  readonly inputShape: readonly [number, number, number];
  readonly classes: number;
  /** C: channels of the first stage (16 in the benchmark). */
  readonly channels: number;
  /** N: cells per stage (5 in the benchmark). */
  readonly cellsPerStage: number;
  /**
   * false builds the network without its batch normalisations (and their parameters), as the
   * synflow score does (Tanaka et al. 2020; the zero-cost proxies reference code). Default true.
   */
  readonly batchNorm?: boolean;
}

/** Sees the input of every ReLU of the network, in the order they run (NASWOT's activation codes). */
export type ReluProbe = (preActivation: tf.Tensor4D) => void;

export interface Nb201ForwardOptions {
  readonly probe?: ReluProbe;
  /**
   * Applied to the output of the stem and of every cell and reduction block before the next one
   * reads it (synflow rescales there to stay in float32 range).
   */
  readonly between?: (x: tf.Tensor4D) => tf.Tensor4D;
}

type Module = (x: tf.Tensor4D, training: boolean, probe: ReluProbe | undefined) => tf.Tensor4D;

function relu(x: tf.Tensor4D, probe: ReluProbe | undefined): tf.Tensor4D {
  probe?.(x);
  return tf.relu(x);
}

/** Multiply-accumulates of one convolution per image, counted as the benchmark's reference does. */
function convFlops(kernel: number, inC: number, outC: number, outH: number, outW: number): number {
  return kernel * kernel * inC * outC * outH * outW;
}

/** Builds the layers in a fixed order from one seed, and counts their FLOPs while doing so. */
class Builder {
  flops = 0;

  constructor(
    readonly p: Params,
    private readonly batchNorm: boolean,
  ) {}

  /** PyTorch's default for Conv2d: kaiming-uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in). */
  convWeight(kernel: number, inC: number, outC: number): tf.Variable {
    const fanIn = kernel * kernel * inC;
    return this.p.uniform([kernel, kernel, inC, outC], 1 / Math.sqrt(fanIn));
  }

  bn(channels: number): (x: tf.Tensor4D, training: boolean) => tf.Tensor4D {
    if (!this.batchNorm) return (x) => x;
    const bn = new BatchNorm(this.p, channels);
    return (x, training) => bn.apply(x, training);
  }

  /** ReLU → conv (k×k, padding (k−1)/2 on each side as in PyTorch, no bias) → BN. */
  reluConvBn(inC: number, outC: number, kernel: number, stride: 1 | 2, inSize: readonly [number, number]): Module {
    const w = this.convWeight(kernel, inC, outC);
    const bn = this.bn(outC);
    const pad = (kernel - 1) / 2;
    const [outH, outW] = [Math.floor((inSize[0] + 2 * pad - kernel) / stride) + 1, Math.floor((inSize[1] + 2 * pad - kernel) / stride) + 1];
    this.flops += convFlops(kernel, inC, outC, outH, outW);
    // 'same' pads asymmetrically when striding (TensorFlow's rule); PyTorch pads both sides alike.
    const conv =
      stride === 1 || pad === 0
        ? (x: tf.Tensor4D) => tf.conv2d(x, w as tf.Tensor4D, stride, 'same')
        : (x: tf.Tensor4D) =>
            tf.conv2d(
              tf.pad(x, [
                [0, 0],
                [pad, pad],
                [pad, pad],
                [0, 0],
              ]),
              w as tf.Tensor4D,
              stride,
              'valid',
            );
    return (x, training, probe) => bn(conv(relu(x, probe)), training);
  }
}

function opModule(b: Builder, op: Nb201Op, channels: number, size: readonly [number, number]): Module {
  switch (op) {
    case 'none':
      return (x) => tf.mul(x, 0);
    case 'skip_connect':
      return (x) => x;
    case 'nor_conv_1x1':
      return b.reluConvBn(channels, channels, 1, 1, size);
    case 'nor_conv_3x3':
      return b.reluConvBn(channels, channels, 3, 1, size);
    case 'avg_pool_3x3':
      // PyTorch's AvgPool2d(3, 1, padding=1, count_include_pad=False) is TensorFlow's 'same' pooling.
      return (x) => tf.avgPool(x, 3, 1, 'same');
  }
}

/** Edge (source node) of each op, in the order of the benchmark's cell string. */
const EDGE_SOURCES = [0, 0, 1, 0, 1, 2] as const;
const EDGE_TARGETS = [1, 2, 2, 3, 3, 3] as const;

/** One cell: node k sums the ops on its incoming edges; the output is node 3. */
function cellModule(b: Builder, arch: Nb201Arch, channels: number, size: readonly [number, number]): Module {
  const edges = arch.ops.map((op, i) => ({ source: EDGE_SOURCES[i] as number, target: EDGE_TARGETS[i] as number, module: opModule(b, op, channels, size) }));
  return (x, training, probe) => {
    const nodes: tf.Tensor4D[] = [x];
    for (let node = 1; node <= 3; node++) {
      const terms = edges.filter((e) => e.target === node).map((e) => e.module(nodes[e.source] as tf.Tensor4D, training, probe));
      nodes.push(terms.length === 1 ? (terms[0] as tf.Tensor4D) : (tf.addN(terms) as tf.Tensor4D));
    }
    return nodes[3] as tf.Tensor4D;
  };
}

/** The residual reduction block between stages: ReLU-conv3×3(stride 2)-BN, ReLU-conv3×3-BN, plus AvgPool(2)+conv1×1 (no BN). */
function reductionModule(b: Builder, inC: number, outC: number, size: readonly [number, number]): Module {
  const half = [Math.floor(size[0] / 2), Math.floor(size[1] / 2)] as const;
  const convA = b.reluConvBn(inC, outC, 3, 2, size);
  const convB = b.reluConvBn(outC, outC, 3, 1, half);
  const shortcut = b.convWeight(1, inC, outC);
  b.flops += convFlops(1, inC, outC, half[0], half[1]);
  return (x, training, probe) => {
    const residual = tf.conv2d(tf.avgPool(x, 2, 2, 'valid'), shortcut as tf.Tensor4D, 1, 'valid');
    return tf.add(residual, convB(convA(x, training, probe), training, probe));
  };
}

export class Nb201Net {
  readonly params: Params;
  /** Multiply-accumulates of the convolutions and the classifier for one image (pooling and BN not counted, as in the benchmark). */
  readonly flops: number;
  private readonly stem: tf.Variable;
  private readonly stemBn: (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;
  private readonly blocks: Module[] = [];
  private readonly lastBn: (x: tf.Tensor4D, training: boolean) => tf.Tensor4D;
  private readonly classifierW: tf.Variable;
  private readonly classifierB: tf.Variable;

  constructor(
    arch: Nb201Arch,
    readonly config: Nb201NetConfig,
    seed: number,
  ) {
    const p = (this.params = new Params(seed));
    const b = new Builder(p, config.batchNorm ?? true);
    const [h, w, inC] = config.inputShape;
    let size: readonly [number, number] = [h, w];
    let channels = config.channels;
    this.stem = b.convWeight(3, inC, channels);
    b.flops += convFlops(3, inC, channels, h, w);
    this.stemBn = b.bn(channels);
    for (let stage = 0; stage < 3; stage++) {
      if (stage > 0) {
        this.blocks.push(reductionModule(b, channels, channels * 2, size));
        channels *= 2;
        size = [Math.floor(size[0] / 2), Math.floor(size[1] / 2)];
      }
      for (let i = 0; i < config.cellsPerStage; i++) this.blocks.push(cellModule(b, arch, channels, size));
    }
    this.lastBn = b.bn(channels);
    // PyTorch's default for Linear: weight and bias U(−1/√in, 1/√in).
    this.classifierW = p.uniform([channels, config.classes], 1 / Math.sqrt(channels));
    this.classifierB = p.uniform([config.classes], 1 / Math.sqrt(channels), 'b');
    this.flops = b.flops + channels * config.classes + config.classes;
  }

  /** Logits for a batch of images [B, H, W, C]. */
  forward(x: tf.Tensor4D, training: boolean, options: Nb201ForwardOptions = {}): tf.Tensor2D {
    const { probe, between = (t: tf.Tensor4D) => t } = options;
    let feature = between(this.stemBn(tf.conv2d(x, this.stem as tf.Tensor4D, 1, 'same'), training));
    for (const block of this.blocks) feature = between(block(feature, training, probe));
    const out = relu(this.lastBn(feature, training), probe);
    const pooled = tf.mean(out, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, this.classifierW as tf.Tensor2D), this.classifierB);
  }

  dispose(): void {
    this.params.dispose();
  }
}
