import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type Info } from './kernel-utils.js';

/**
 * Concatenation by copyWithin on one view of the whole heap. The stock kernel makes a view object
 * per row and input: concatenating a cell's outputs along channels ([64,28,28,8] × 3) made 150,000
 * of them.
 */
export function makeConcat(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const inputs = (args.inputs as unknown as Info[]).filter((t) => tf.util.sizeFromShape(t.shape) > 0);
    const first = inputs[0];
    if (first === undefined || inputs.length < 2 || (first.dtype !== 'float32' && first.dtype !== 'int32')) return stock(args);
    const axis = tf.util.parseAxisParam((args.attrs as unknown as tf.ConcatAttrs).axis, first.shape)[0]!;
    const outShape = tf.backend_util.computeOutShape(inputs.map((t) => t.shape), axis);
    const backend = args.backend as BackendWasm;
    const out = backend.makeOutput(outShape, first.dtype);
    const target = heapView(backend, out);
    const heap = new Float32Array(target.buffer);
    const rows = tf.util.sizeFromShape(first.shape.slice(0, axis));
    const widths = inputs.map((t) => tf.util.sizeFromShape(t.shape.slice(axis)));
    const starts = inputs.map((t) => heapView(backend, t).byteOffset / 4);
    let dst = target.byteOffset / 4;
    for (let r = 0; r < rows; r++) {
      for (let i = 0; i < inputs.length; i++) {
        const src = starts[i]! + r * widths[i]!;
        heap.copyWithin(dst, src, src + widths[i]!);
        dst += widths[i]!;
      }
    }
    return out;
  };
}
