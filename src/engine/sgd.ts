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

/** SGD with momentum, weight decay and global-norm clipping: buf ← μ·buf + g + λ·w; w ← w − η·buf (PyTorch's form). */
export class Sgd {
  private readonly buffers: tf.Variable[];

  constructor(private readonly vars: readonly tf.Variable[], private readonly cfg: SgdConfig) {
    this.buffers = vars.map((v) => tf.variable(tf.zerosLike(v), false));
  }

  /** Applies one update with gradients in the order of `vars`. */
  apply(grads: readonly tf.Tensor[], lr: number): void {
    tf.tidy(() => {
      let scale: tf.Scalar | number = 1;
      if (this.cfg.gradClip > 0) {
        const norm = tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g)))));
        scale = tf.minimum(1, tf.div(this.cfg.gradClip, tf.add(norm, 1e-6))) as tf.Scalar;
      }
      this.vars.forEach((v, i) => {
        let g = grads[i] as tf.Tensor;
        if (scale !== 1) g = tf.mul(g, scale);
        if (this.cfg.weightDecay > 0) g = tf.add(g, tf.mul(v, this.cfg.weightDecay));
        const buf = this.buffers[i] as tf.Variable;
        const next = tf.add(tf.mul(buf, this.cfg.momentum), g);
        buf.assign(next);
        v.assign(tf.sub(v, tf.mul(next, lr)));
      });
    });
  }

  dispose(): void {
    for (const b of this.buffers) b.dispose();
  }
}

/**
 * One gradient step: computes the loss and its gradients, and applies them only if the loss is
 * finite. Returns the loss (NaN/Inf means the step was skipped and the child has diverged).
 */
export function trainStep(vars: readonly tf.Variable[], loss: () => tf.Scalar, sgd: Sgd, lr: number): number {
  const { value, grads } = tf.variableGrads(loss, vars as tf.Variable[]);
  try {
    const l = value.dataSync()[0] as number;
    if (Number.isFinite(l)) sgd.apply(vars.map((v) => grads[v.name] as tf.Tensor), lr);
    return l;
  } finally {
    value.dispose();
    tf.dispose(Object.values(grads));
  }
}
