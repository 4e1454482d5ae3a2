/**
 * The two reference networks of the engine benchmark, built by the engine exactly as a search
 * child is: the image tasks' reference cell as a cnn-micro child and the text tasks' reference
 * cell as an rnn-cell LM, both at the tiny preset's search size, trained by the engine's own step
 * (forward, backward, SGD with the preset's momentum, weight decay and clipping). Inputs are
 * random: the time of a step does not depend on pixel or token values.
 */
import * as tf from '../src/engine/tf.js';
import { CnnMicroNet } from '../src/engine/cnn-net.js';
import { RnnLm, sparseCrossEntropy } from '../src/engine/rnn-net.js';
import { Sgd, trainStep, type SgdConfig } from '../src/engine/sgd.js';
import { cnnMicroSpace } from '../src/spaces/cnn-micro.js';
import { rnnCellSpace } from '../src/spaces/rnn-cell.js';
import { imageTasks, presets as imagePresets } from '../src/tasks/image-tasks.js';
import { PRESETS as textPresets, textTasks } from '../src/tasks/text-tasks.js';

export type NetName = 'cnn' | 'lm';

/** Everything the PyTorch script needs to build the same two networks (passed to it as JSON). */
export interface ReferenceNets {
  readonly cnn: {
    readonly arch: string;
    readonly inputShape: [number, number, number];
    readonly classes: number;
    readonly filters: number;
    readonly cellsPerStage: number;
    readonly batch: number;
    readonly sgd: SgdConfig;
  };
  readonly lm: {
    readonly arch: string;
    readonly vocab: number;
    readonly hidden: number;
    readonly dropout: number;
    readonly batch: number;
    readonly bptt: number;
    readonly sgd: SgdConfig;
  };
}

const sgdOf = (c: SgdConfig): SgdConfig => ({ lr: c.lr, lrMin: c.lrMin, momentum: c.momentum, weightDecay: c.weightDecay, gradClip: c.gradClip });

/** The tiny preset's search child of the Fashion-MNIST task, and of the PTB task (10k words). */
export function referenceNets(): ReferenceNets {
  const image = imageTasks.find((t) => t.name === 'fashion-mnist')!;
  const text = textTasks.find((t) => t.name === 'ptb')!;
  const cnn = imagePresets({ padCrop: 0, flip: false, cutout: 0 }, 0, 60_000).tiny.search;
  const lm = textPresets.tiny.search;
  return {
    cnn: {
      arch: image.reference!,
      inputShape: [28, 28, 1],
      classes: 10,
      filters: cnn.filters,
      cellsPerStage: cnn.cellsPerStage,
      batch: cnn.train.batchSize,
      sgd: sgdOf(cnn.train),
    },
    lm: {
      arch: text.reference!,
      vocab: 10_000,
      hidden: lm.hidden,
      dropout: lm.dropout,
      batch: lm.train.batchSize,
      bptt: lm.train.bptt,
      sgd: sgdOf(lm.train),
    },
  };
}

/** One network ready to train: `step()` runs one training step and returns its loss. */
export interface Trainable {
  readonly params: number;
  /** Images or tokens per step. */
  readonly itemsPerStep: number;
  step(): number;
  dispose(): void;
}

export function buildCnn(ref: ReferenceNets['cnn'], seed = 1): Trainable {
  const [h, w, c] = ref.inputShape;
  const net = new CnnMicroNet(cnnMicroSpace.parse(ref.arch), { inputShape: ref.inputShape, classes: ref.classes, filters: ref.filters, cellsPerStage: ref.cellsPerStage }, seed);
  const sgd = new Sgd(net.params.trainable, ref.sgd);
  const x = tf.randomNormal([ref.batch, h, w, c], 0, 1, 'float32', seed) as tf.Tensor4D;
  const y = tf.oneHot(tf.randomUniform([ref.batch], 0, ref.classes, 'int32', seed) as tf.Tensor1D, ref.classes);
  return {
    params: net.params.count(),
    itemsPerStep: ref.batch,
    step: () => trainStep(net.params.trainable, () => tf.losses.softmaxCrossEntropy(y, net.forward(x, true)) as tf.Scalar, sgd, ref.sgd.lr),
    dispose: () => {
      tf.dispose([x, y]);
      sgd.dispose();
      net.dispose();
    },
  };
}

/** The LM carries its state from step to step (truncated BPTT), as in training. */
export function buildLm(ref: ReferenceNets['lm'], seed = 1): Trainable {
  const net = new RnnLm(rnnCellSpace.parse(ref.arch), { vocab: ref.vocab, hidden: ref.hidden, dropout: ref.dropout }, seed);
  const sgd = new Sgd(net.params.trainable, ref.sgd);
  const tokens = tf.randomUniform([ref.bptt, ref.batch], 0, ref.vocab, 'int32', seed) as tf.Tensor2D;
  const targets = tf.randomUniform([ref.bptt * ref.batch], 0, ref.vocab, 'int32', seed + 1) as tf.Tensor1D;
  let state = net.initialState(ref.batch);
  let count = 0;
  return {
    params: net.params.count(),
    itemsPerStep: ref.bptt * ref.batch,
    step: () => {
      let next: tf.Tensor2D | null = null;
      const loss = trainStep(
        net.params.trainable,
        () => {
          const out = net.forward(tokens, state, true, count++);
          next = tf.keep(out.state);
          return sparseCrossEntropy(out.logits, targets);
        },
        sgd,
        ref.sgd.lr,
      );
      state.dispose();
      state = next as unknown as tf.Tensor2D;
      return loss;
    },
    dispose: () => {
      tf.dispose([tokens, targets, state]);
      sgd.dispose();
      net.dispose();
    },
  };
}

export function buildNet(name: NetName, refs: ReferenceNets, seed = 1): Trainable {
  return name === 'cnn' ? buildCnn(refs.cnn, seed) : buildLm(refs.lm, seed);
}
