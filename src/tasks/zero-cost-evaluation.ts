import { performance } from 'node:perf_hooks';
import { Rng, type ZeroCostKind } from '../api/index.js';
import type { EngineInfo } from '../engine/backend.js';
import { channelStats, fillBatch, NO_AUGMENTATION, type ImageData } from '../engine/image-batches.js';
import { Nb201Net, type Nb201NetConfig } from '../engine/nb201-net.js';
import * as tf from '../engine/tf.js';
import { nb201Naswot, nb201Synflow } from '../engine/zero-cost.js';
import { errorMessage } from '../errors.js';
import type { Nb201Arch } from '../spaces/nb201.js';
import { deviceOf } from './engine-evaluation.js';
import type { Evaluation, ZeroCostJob } from './types.js';

/** NASWOT's minibatch size (the authors' default). */
export const NASWOT_BATCH = 128;

/** Where a NASWOT minibatch comes from. */
export interface ZeroCostInputs {
  /** The minibatch for a run's input seed, [B, H, W, C]; the caller disposes it. */
  batch(inputSeed: number): tf.Tensor4D;
  /** In words, for the record. */
  readonly description: string;
}

/** N(0, 1) noise: for tasks whose images are not here (the NB201 tables' CIFAR and ImageNet16-120). */
export function gaussianInputs(shape: readonly [number, number, number], why: string): ZeroCostInputs {
  const [h, w, c] = shape;
  return {
    batch: (seed) => tf.randomNormal([NASWOT_BATCH, h, w, c], 0, 1, 'float32', seed) as tf.Tensor4D,
    description: `Gaussian noise N(0, 1), ${NASWOT_BATCH} × ${h}×${w}×${c} (${why})`,
  };
}

/** A minibatch of the task's own training images, drawn from the run's input seed and normalised as in training. */
export function imageInputs(images: ImageData, what: string): ZeroCostInputs {
  const stats = channelStats(images);
  const { height: h, width: w, channels: c } = images;
  return {
    batch(seed) {
      const indices = Rng.seeded(seed).sample(Array.from({ length: images.count }, (_, i) => i), NASWOT_BATCH);
      const pixels = new Float32Array(NASWOT_BATCH * h * w * c);
      fillBatch(images, indices, stats, NO_AUGMENTATION, null, pixels, new Int32Array(NASWOT_BATCH));
      return tf.tensor4d(pixels, [NASWOT_BATCH, h, w, c]);
    },
    description: `${NASWOT_BATCH} ${what} training images`,
  };
}

/** One zero-cost score of an NB201 network, timed on the device clock like any evaluation. */
export function nb201ZeroCost(info: EngineInfo, arch: Nb201Arch, kind: ZeroCostKind, config: Nb201NetConfig, inputs: ZeroCostInputs, job: ZeroCostJob): Evaluation {
  const start = performance.now();
  const device = deviceOf(info);
  const described = kind === 'naswot' ? inputs.description : kind === 'synflow' ? 'one all-ones image (data-free)' : 'none (counted from the architecture)';
  const done = (score: number, params: number | null, error?: string): Evaluation => ({
    status: error === undefined ? 'ok' : 'failed',
    metrics: error === undefined ? { [kind]: score } : {},
    params,
    fidelity: 0,
    deviceSeconds: (performance.now() - start) / 1000,
    device,
    inputs: described,
    ...(error === undefined ? {} : { error }),
  });
  try {
    switch (kind) {
      case 'params':
      case 'flops': {
        const net = new Nb201Net(arch, config, job.seed);
        const [params, flops] = [net.params.count(), net.flops];
        net.dispose();
        return done(kind === 'params' ? params : flops, params);
      }
      case 'synflow': {
        const score = nb201Synflow(arch, config, job.seed);
        return Number.isFinite(score) ? done(score, null) : done(NaN, null, `synflow is ${score}`);
      }
      case 'naswot': {
        const x = inputs.batch(job.inputSeed);
        try {
          const score = nb201Naswot(arch, config, job.seed, x);
          return Number.isFinite(score)
            ? done(score, null)
            : done(NaN, null, 'the activation-code kernel is singular (log-determinant −∞): some inputs switch on the same ReLUs');
        } finally {
          x.dispose();
        }
      }
    }
  } catch (err) {
    return done(NaN, null, errorMessage(err));
  }
}
