import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { Info } from './kernel-utils.js';

/**
 * Tensors are immutable, so Identity can share the input's buffer by reference count, as the
 * cpu backend does; the stock wasm kernel copies it. Variables and optimizer slots go through
 * Identity on every step.
 */
export function makeIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: Info };
    if (x.dtype === 'string') return stock({ inputs, backend, attrs });
    (backend as BackendWasm).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
