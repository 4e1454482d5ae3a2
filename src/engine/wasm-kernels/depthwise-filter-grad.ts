import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, withScope, type Info, type Scope, type Shape4 } from './kernel-utils.js';
import { tap } from './taps.js';

/**
 * Missing on wasm. dW[a,b,c,q] = sum over n,h,w of x shifted by tap (a,b) times dy: per tap, the
 * shifted x is copied out in contiguous runs, multiplied by dy (broadcast over the channel
 * multiplier) and summed over all pixels by one average pool, all on XNNPACK. A scalar loop
 * (JavaScript) is ~5x slower, and a forward depthwise convolution with dy as an image-sized
 * filter falls on a slow XNNPACK path.
 */
export const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, dilations, pad, dimRoundingMode, true,
  );
  const [kh, kw, c, m] = filterShape;
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const b = backend as BackendWasm;
  const out = b.makeOutput(filterShape, 'float32');
  withScope(b, (scope) => {
    const dyByChannel = scope.reshape(dy, [pixels, c, m]);
    for (let a = 0; a < kh; a++) {
      for (let bb = 0; bb < kw; bb++) {
        const shifted = scope.reshape(scope.track(tap(b, x, info, a, bb)), [pixels, c, 1]);
        const product = scope.run('Multiply', { a: shifted, b: dyByChannel });
        const sum = pixelSum(scope, product, pixels, c * m);
        // The output view is taken last: allocations above may have moved the heap.
        heapView(b, out).set(sum, (a * kw + bb) * c * m);
      }
    }
  });
  return out;
};

/** Sum over the first axis of a [pixels, ...] tensor, as a float array of `width` values. */
function pixelSum(scope: Scope, t: Info, pixels: number, width: number): Float32Array {
  const pooled = () =>
    scope.run('AvgPool', { x: scope.reshape(t, [1, pixels, 1, width]) }, {
      filterSize: [pixels, 1],
      strides: 1,
      pad: 'valid',
    });
  const values = heapView(scope.backend, pixels === 1 ? t : pooled());
  return Float32Array.from(values, (v) => v * pixels);
}
