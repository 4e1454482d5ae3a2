import type { Weights } from './controller.js';

/**
 * Adam's moments as plain arrays. tfjs's optimizer keeps them in backend variables that outlive
 * the call and are read back only asynchronously; the controller is updated once per evaluation
 * and snapshotted in between, so its optimizer state has to be plain data like its weights.
 */
export interface AdamState {
  /** Updates applied so far (t in the bias corrections). */
  step: number;
  readonly m: Weights;
  readonly v: Weights;
}

/** Kingma & Ba's defaults, which TensorFlow's and PyTorch's Adam (hence ENAS's) share. */
const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

export function initialAdam(weights: Weights): AdamState {
  const zeros = () => new Map([...weights].map(([name, w]) => [name, new Float32Array(w.length)]));
  return { step: 0, m: zeros(), v: zeros() };
}

/** One Adam step on `weights`, in place. */
export function adamStep(weights: Weights, gradients: Weights, state: AdamState, lr: number): void {
  state.step++;
  const correction1 = 1 - BETA1 ** state.step;
  const correction2 = 1 - BETA2 ** state.step;
  for (const [name, w] of weights) {
    const g = gradients.get(name);
    const m = state.m.get(name);
    const v = state.v.get(name);
    if (g === undefined || m === undefined || v === undefined || g.length !== w.length) {
      throw new Error(`Adam: no gradient or moments of the size of weight ${name}`);
    }
    for (let i = 0; i < w.length; i++) {
      m[i] = BETA1 * m[i]! + (1 - BETA1) * g[i]!;
      v[i] = BETA2 * v[i]! + (1 - BETA2) * g[i]! * g[i]!;
      w[i] = w[i]! - (lr * (m[i]! / correction1)) / (Math.sqrt(v[i]! / correction2) + EPSILON);
    }
  }
}
