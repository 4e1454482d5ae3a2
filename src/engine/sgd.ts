import * as tf from './tf.js';

export interface SgdConfig {
  /** Peak learning rate; a cosine schedule decays it to `lrMin` over the training steps. */
  readonly lr: number;
  readonly lrMin: number;
  readonly momentum: number;
  /** L2 weight decay, added to every gradient. */
  readonly weightDecay: number;
  /** Global gradient-norm clip (0 = none). */
  readonly gradClip: number;
}

export function cosineLr(cfg: SgdConfig, step: number, totalSteps: number): number {
  const progress = Math.min(1, step / Math.max(1, totalSteps));
  return cfg.lrMin + 0.5 * (cfg.lr - cfg.lrMin) * (1 + Math.cos(Math.PI * progress));
}

/**
 * SGD with momentum, weight decay and global-norm clipping: buf ← μ·buf + g + λ·w; w ← w − η·buf
 * (PyTorch's form). All variables are updated as one flat vector: a dozen kernels per step
 * instead of several per variable, which dominates small children on wasm and cpu.
 */
export class Sgd {
  private readonly buffer: tf.Variable;
  private readonly sizes: number[];

  constructor(private readonly vars: readonly tf.Variable[], private readonly cfg: SgdConfig) {
    this.sizes = vars.map((v) => v.size);
    this.buffer = tf.variable(tf.zeros([this.sizes.reduce((a, b) => a + b, 0)]), false);
  }

  /** Applies one update with gradients in the order of `vars`. */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    tf.tidy(() => {
      const flat = (ts: readonly tf.Tensor[]) => tf.concat(ts.map((t) => tf.reshape(t, [-1])));
      let g = flat(grads);
      const w = flat(this.vars);
      // sqrt(Σ g²) is tf.norm's value; tf.norm takes it through pow(|g|, 2), a scalar loop on wasm.
      if (this.cfg.gradClip > 0) g = tf.mul(g, tf.minimum(1, tf.div(this.cfg.gradClip, tf.add(tf.sqrt(tf.sum(tf.square(g))), 1e-6))));
      if (this.cfg.weightDecay > 0) g = tf.add(g, tf.mul(w, this.cfg.weightDecay));
      const buf = this.cfg.momentum > 0 ? tf.add(tf.mul(this.buffer, this.cfg.momentum), g) : g;
      if (this.cfg.momentum > 0) this.buffer.assign(buf);
      const parts = tf.split(tf.sub(w, tf.mul(buf, lr)), this.sizes);
      this.vars.forEach((v, i) => v.assign(tf.reshape(parts[i] as tf.Tensor, v.shape)));
    });
  }

  dispose(): void {
    this.buffer.dispose();
  }
}

/**
 * One gradient step: computes the loss and its gradients, and applies them only if the loss is
 * finite. Returns the loss (NaN/Inf means the step was skipped and the child has diverged).
 * A weight the loss does not depend on (in a cnn-micro cell that reads only one of its two
 * inputs, the other input's preprocessing) has no gradient; it gets zero.
 */
export function trainStep(vars: readonly tf.Variable[], loss: () => tf.Scalar, sgd: Sgd, lr: number): number {
  const { value, grads } = tf.variableGrads(loss, vars as tf.Variable[]);
  const ordered = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  try {
    const l = value.dataSync()[0] as number;
    if (Number.isFinite(l)) sgd.apply(ordered, lr);
    return l;
  } finally {
    value.dispose();
    tf.dispose(ordered);
  }
}
