import type { Tensorflow } from '../api/index.js';

let loaded: Promise<Tensorflow> | undefined;

/** The engine's TensorFlow.js, loaded on first use (tabular runs never pay for it). */
export function loadTensorflow(): Promise<Tensorflow> {
  loaded ??= import('../engine/tf.js').then(async (tf) => {
    await tf.ready();
    return tf as unknown as Tensorflow;
  });
  return loaded;
}
