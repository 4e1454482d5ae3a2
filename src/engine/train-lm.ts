import * as tf from './tf.js';
import type { RnnLm } from './rnn-net.js';
import { sparseCrossEntropy } from './rnn-net.js';
import { cosineLr, Sgd, trainStep, type SgdConfig } from './sgd.js';
import type { TrainOutcome, TrainProgress } from './train-image.js';

export interface LmTrainConfig extends SgdConfig {
  readonly epochs: number;
  readonly batchSize: number;
  /** Truncated back-propagation length. */
  readonly bptt: number;
  readonly evalBatchSize: number;
}

/** Lays a token stream out as `batch` parallel streams [length, batch] (Zaremba et al.'s batchify). */
export function batchify(tokens: Int32Array, batch: number): { data: Int32Array; length: number } {
  const length = Math.floor(tokens.length / batch);
  const data = new Int32Array(length * batch);
  for (let b = 0; b < batch; b++) for (let t = 0; t < length; t++) data[t * batch + b] = tokens[b * length + t] as number;
  return { data, length };
}

function window(stream: { data: Int32Array; length: number }, batch: number, start: number, steps: number) {
  const n = Math.min(steps, stream.length - 1 - start);
  return {
    n,
    x: tf.tensor2d(stream.data.subarray(start * batch, (start + n) * batch), [n, batch], 'int32'),
    y: tf.tensor1d(stream.data.subarray((start + 1) * batch, (start + 1 + n) * batch), 'int32'),
  };
}

/** Perplexity of `net` on a token stream, carrying the state across windows. */
export function evaluatePerplexity(net: RnnLm, tokens: Int32Array, batch: number, bptt: number): number {
  const stream = batchify(tokens, batch);
  let state = net.initialState(batch);
  let nll = 0;
  let count = 0;
  for (let start = 0; start < stream.length - 1; start += bptt) {
    const { n, x, y } = window(stream, batch, start, bptt);
    const next = tf.tidy(() => {
      const out = net.forward(x, state, false);
      nll += (sparseCrossEntropy(out.logits, y).dataSync()[0] as number) * n * batch;
      return out.state;
    });
    count += n * batch;
    tf.dispose([x, y, state]);
    state = next;
  }
  state.dispose();
  return Math.exp(nll / count);
}

/**
 * Trains a recurrent LM child with truncated BPTT (state carried across windows, not its
 * gradient), SGD + cosine schedule and gradient clipping; a non-finite loss means divergence.
 */
export function trainLanguageModel(
  net: RnnLm,
  corpus: { readonly train: Int32Array; readonly [split: string]: Int32Array },
  evalSplits: readonly string[],
  cfg: LmTrainConfig,
  onProgress?: (p: TrainProgress) => void,
): TrainOutcome {
  const stream = batchify(corpus.train, cfg.batchSize);
  const windowsPerEpoch = Math.ceil((stream.length - 1) / cfg.bptt);
  const steps = windowsPerEpoch * cfg.epochs;
  const sgd = new Sgd(net.params.trainable, cfg);
  let step = 0;
  let lossSum = 0;
  let tokens = 0;
  try {
    for (let epoch = 0; epoch < cfg.epochs; epoch++) {
      let state = net.initialState(cfg.batchSize);
      for (let start = 0; start < stream.length - 1; start += cfg.bptt, step++) {
        const { n, x, y } = window(stream, cfg.batchSize, start, cfg.bptt);
        let next: tf.Tensor2D | null = null;
        const loss = trainStep(
          net.params.trainable,
          () => {
            const out = net.forward(x, state, true, step);
            next = tf.keep(out.state);
            return sparseCrossEntropy(out.logits, y);
          },
          sgd,
          cosineLr(cfg, step, steps),
        );
        tf.dispose([x, y, state]);
        state = next as unknown as tf.Tensor2D;
        if (!Number.isFinite(loss)) {
          state.dispose();
          return { status: 'diverged', metrics: { train_loss: loss }, steps: step, error: `training loss became ${loss} at step ${step} of ${steps}` };
        }
        lossSum += loss * n;
        tokens += n;
        onProgress?.({ step: step + 1, steps, loss });
      }
      state.dispose();
    }
  } finally {
    sgd.dispose();
  }
  const metrics: Record<string, number> = { train_ppl: Math.exp(lossSum / Math.max(1, tokens)) };
  for (const split of evalSplits) {
    const tokensOf = corpus[split];
    if (tokensOf) metrics[`${split}_ppl`] = evaluatePerplexity(net, tokensOf, cfg.evalBatchSize, cfg.bptt);
  }
  return { status: 'ok', metrics, steps };
}
