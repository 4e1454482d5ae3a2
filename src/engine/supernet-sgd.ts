import * as tf from './tf.js';
import type { SgdConfig } from './sgd.js';

/**
 * SGD for a supernet: the same update as `Sgd` (buf ← μ·buf + g + λ·w; w ← w − η·buf, clipped
 * by the global norm of the step's gradients), applied to the variables one architecture used.
 * Every variable has its own momentum buffer; a variable the step did not use keeps its weights
 * and its buffer untouched (no decay, no momentum drift), so unused choices stay exactly as they were.
 */
export class SelectiveSgd {
  private readonly buffers = new Map<tf.Variable, tf.Variable>();

  constructor(
    vars: readonly tf.Variable[],
    private readonly cfg: SgdConfig,
  ) {
    if (cfg.momentum > 0) for (const v of vars) this.buffers.set(v, tf.variable(tf.zerosLike(v), false));
  }

  /** Momentum buffers in the order of `vars` (empty without momentum). */
  momentumOf(vars: readonly tf.Variable[]): tf.Variable[] {
    return this.buffers.size === 0 ? [] : vars.map((v) => this.buffers.get(v) as tf.Variable);
  }

  /** Applies one update to `vars` with `grads` in the same order. */
  apply(vars: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number): void {
    const sizes = vars.map((v) => v.size);
    tf.tidy(() => {
      const flat = (ts: readonly tf.Tensor[]) => tf.concat(ts.map((t) => tf.reshape(t, [-1])));
      let g = flat(grads);
      const w = flat(vars);
      if (this.cfg.gradClip > 0) g = tf.mul(g, tf.minimum(1, tf.div(this.cfg.gradClip, tf.add(tf.norm(g), 1e-6))));
      if (this.cfg.weightDecay > 0) g = tf.add(g, tf.mul(w, this.cfg.weightDecay));
      let step = g;
      if (this.cfg.momentum > 0) {
        const buffers = this.momentumOf(vars);
        step = tf.add(tf.mul(flat(buffers), this.cfg.momentum), g);
        const parts = tf.split(step, sizes);
        buffers.forEach((b, i) => b.assign(tf.reshape(parts[i] as tf.Tensor, b.shape)));
      }
      const parts = tf.split(tf.sub(w, tf.mul(step, lr)), sizes);
      vars.forEach((v, i) => v.assign(tf.reshape(parts[i] as tf.Tensor, v.shape)));
    });
  }

  dispose(): void {
    for (const b of this.buffers.values()) b.dispose();
    this.buffers.clear();
  }
}
