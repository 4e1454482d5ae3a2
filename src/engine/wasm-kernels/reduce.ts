import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, run, withScope, type Info } from './kernel-utils.js';

/**
 * Sum and Mean over a block of axes followed by kept axes (batch-norm statistics and their
 * gradients over N,H,W; global pooling over H,W; bias gradients over the batch). The stock
 * kernels first transpose the reduced axes to the end; an average pool over the block as one
 * [r, 1] window reads the input once on XNNPACK instead. Reductions over trailing axes, which
 * need no transpose, stay with the stock kernels.
 */
export function makeReduce(stock: tf.KernelFunc, mean: boolean): tf.KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const shape = x.shape;
    const axes = tf.util.parseAxisParam(axis, shape).sort((a, b) => a - b);
    const first = axes[0];
    const last = axes[axes.length - 1];
    if (x.dtype !== 'float32' || first === undefined || last === undefined) return stock(args);
    if (last - first + 1 !== axes.length || last === shape.length - 1) return stock(args);
    const outer = tf.util.sizeFromShape(shape.slice(0, first));
    const window = tf.util.sizeFromShape(shape.slice(first, last + 1));
    const inner = tf.util.sizeFromShape(shape.slice(last + 1));
    if (window === 1 || tf.util.sizeFromShape(shape) === 0) return stock(args);
    const outShape = keepDims
      ? shape.map((d, i) => (i >= first && i <= last ? 1 : d))
      : shape.filter((_, i) => i < first || i > last);
    const backend = args.backend as BackendWasm;
    const result = withScope(backend, (scope) => {
      const pooled = scope.run('AvgPool', { x: scope.reshape(x, [outer, window, 1, inner]) }, {
        filterSize: [window, 1],
        strides: 1,
        pad: 'valid',
      });
      const values = heapView(backend, pooled);
      // XNNPACK's pooling clamps with pseudo-min/max, which turn NaN into −Infinity: an input with
      // NaN (or −Infinity) goes to the stock kernel, so that NaN propagates as on every backend.
      if (values.includes(-Infinity)) return null;
      if (!mean) for (let i = 0; i < values.length; i++) values[i]! *= window;
      return run(backend, 'Reshape', { x: pooled }, { shape: outShape });
    });
    return result ?? stock(args);
  };
}
