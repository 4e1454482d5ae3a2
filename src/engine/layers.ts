import * as tf from './tf.js';
import { batchNormTraining } from './batch-norm.js';
import type { Params } from './params.js';

export type Stride = 1 | 2;

/** Batch normalisation with running statistics for evaluation. */
export class BatchNorm {
  private readonly gamma: tf.Variable;
  private readonly beta: tf.Variable;
  private readonly runningMean: tf.Variable;
  private readonly runningVar: tf.Variable;

  constructor(p: Params, channels: number, private readonly momentum = 0.1) {
    this.gamma = p.ones([channels]);
    this.beta = p.zeros([channels]);
    this.runningMean = p.zeros([channels], false, 'mean');
    this.runningVar = p.ones([channels], false, 'var');
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    if (!training) return tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, 1e-5) as tf.Tensor4D;
    const { y, mean, variance } = batchNormTraining(x, this.gamma as tf.Tensor1D, this.beta as tf.Tensor1D, 1e-5);
    // Running statistics do not feed the loss, so no gradient flows through this update; a
    // variable keeps its own reference to assigned data, so it is safe inside tidy and grad scopes.
    tf.tidy(() => {
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - this.momentum), tf.mul(mean, this.momentum)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - this.momentum), tf.mul(variance, this.momentum)));
    });
    tf.dispose([mean, variance]);
    return y;
  }
}

/** ReLU → conv (k×k) → BN, the building block of NAS cells. */
export class ReluConvBn {
  private readonly filter: tf.Variable;
  private readonly bn: BatchNorm;

  constructor(p: Params, inChannels: number, outChannels: number, private readonly kernel: number, private readonly stride: Stride = 1) {
    this.filter = p.heNormal([kernel, kernel, inChannels, outChannels], kernel * kernel * inChannels);
    this.bn = new BatchNorm(p, outChannels);
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    return this.bn.apply(tf.conv2d(tf.relu(x), this.filter as tf.Tensor4D, this.stride, 'same'), training);
  }
}

/** ReLU → depthwise k×k → pointwise 1×1 → BN (one separable convolution, as in ENAS). */
export class SepConv {
  private readonly depthwise: tf.Variable;
  private readonly pointwise: tf.Variable;
  private readonly bn: BatchNorm;

  constructor(p: Params, channels: number, private readonly kernel: number, private readonly stride: Stride) {
    this.depthwise = p.heNormal([kernel, kernel, channels, 1], kernel * kernel);
    this.pointwise = p.heNormal([1, 1, channels, channels], channels);
    this.bn = new BatchNorm(p, channels);
  }

  apply(x: tf.Tensor4D, training: boolean): tf.Tensor4D {
    const d = tf.depthwiseConv2d(tf.relu(x), this.depthwise as tf.Tensor4D, this.stride, 'same');
    return this.bn.apply(tf.conv2d(d, this.pointwise as tf.Tensor4D, 1, 'same'), training);
  }
}

/** Fully connected layer. */
export class Dense {
  private readonly w: tf.Variable;
  private readonly b: tf.Variable;

  constructor(p: Params, inputs: number, outputs: number) {
    this.w = p.uniform([inputs, outputs], Math.sqrt(1 / inputs));
    this.b = p.zeros([outputs]);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.w as tf.Tensor2D), this.b);
  }
}
