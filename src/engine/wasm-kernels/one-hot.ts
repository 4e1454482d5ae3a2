import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type Info } from './kernel-utils.js';

/**
 * The stock kernel writes int32 bit patterns whatever the requested dtype, so a float32 one-hot
 * comes out as denormals (1 → 1.4e-45). Written here for float32: fill, then one store per row.
 */
export function makeOneHot(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { indices } = args.inputs as { indices: Info };
    const { dtype, depth, onValue, offValue } = args.attrs as unknown as tf.OneHotAttrs;
    if (dtype !== 'float32') return stock(args);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput([...indices.shape, depth], 'float32');
    const values = heapView(backend, out);
    values.fill(offValue);
    heapView(backend, indices).forEach((index, row) => {
      if (index >= 0 && index < depth) values[row * depth + index] = onValue;
    });
    return out;
  };
}
