import type { Arch, SearchSpace } from '../space.js';
import type { Tensorflow } from '../plugin.js';
import { type Epd, l2Normalize } from './model.js';
import type { Tensor } from '../kit/tensors.js';

export interface Candidate {
  readonly arch: Arch;
  /** The step size at which the decoder first produced it. */
  readonly eta: number;
}

export interface GenerationRequest {
  /** The architectures to improve (the best evaluated ones). */
  readonly sources: readonly Arch[];
  readonly wanted: number;
  /** Canonical strings that are not new: evaluated or already proposed. */
  readonly known: ReadonlySet<string>;
  readonly etaStep: number;
  readonly maxEtaSteps: number;
}

/**
 * NAO's generation step: move the encoder outputs of each source along the gradient of the
 * predicted performance, h ← h + η·∂f/∂h, re-normalise, and decode. η grows by `etaStep` until
 * `wanted` new architectures have come out or `maxEtaSteps` is reached; the gradient is taken once
 * (it does not depend on η) and every η costs one batched decode.
 */
export function generate(tf: Tensorflow, epd: Epd, space: SearchSpace<Arch>, req: GenerationRequest): Candidate[] {
  const found: Candidate[] = [];
  if (req.sources.length === 0 || req.wanted <= 0) return found;
  const seen = new Set(req.known);
  const [outputs, gradient] = tf.tidy(() => {
    const { outputs } = epd.encode(req.sources.map((a) => space.toTokens(a)));
    return [outputs, tf.grad((o: Tensor) => tf.sum(epd.predict(epd.pool(o))))(outputs)];
  });
  try {
    for (let step = 1; step <= req.maxEtaSteps && found.length < req.wanted; step++) {
      const eta = step * req.etaStep;
      for (const tokens of decodeMoved(tf, epd, outputs, gradient, eta)) {
        const arch = space.fromTokens(tokens);
        const key = space.format(arch);
        if (seen.has(key)) continue;
        seen.add(key);
        found.push({ arch, eta });
        if (found.length === req.wanted) break;
      }
    }
  } finally {
    outputs.dispose();
    gradient.dispose();
  }
  return found;
}

/** Decodes the encoder outputs moved by η along the gradient; one read-back per batch. */
export function decodeMoved(tf: Tensorflow, epd: Epd, outputs: Tensor, gradient: Tensor, eta: number): number[][] {
  const decoded = tf.tidy(() => {
    const moved = l2Normalize(tf, tf.add(outputs, tf.mul(gradient, eta)));
    return epd.greedyDecode({ outputs: moved, embedding: epd.pool(moved) });
  });
  const rows = decoded.arraySync() as number[][];
  decoded.dispose();
  return rows;
}
