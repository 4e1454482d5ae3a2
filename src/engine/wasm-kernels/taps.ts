import type * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type Info } from './kernel-utils.js';

/** x at the input positions that tap (a, b) reads for every output pixel, zero where padded. */
export function tap(backend: BackendWasm, x: Info, info: tf.backend_util.Conv2DInfo, a: number, b: number): Info {
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, strideHeight, strideWidth } = info;
  const out = backend.makeOutput([batchSize, outHeight, outWidth, c], x.dtype);
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  dst.fill(0);
  const dh = a * info.dilationHeight - info.padInfo.top;
  const dw = b * info.dilationWidth - info.padInfo.left;
  // Output columns whose input column lies inside the image.
  const first = Math.max(0, Math.ceil(-dw / strideWidth));
  const last = Math.min(outWidth - 1, Math.floor((inWidth - 1 - dw) / strideWidth));
  if (last < first) return out;
  for (let n = 0; n < batchSize; n++) {
    for (let oh = 0; oh < outHeight; oh++) {
      const h = oh * strideHeight + dh;
      if (h < 0 || h >= inHeight) continue;
      const row = (n * inHeight + h) * inWidth;
      const to = ((n * outHeight + oh) * outWidth + first) * c;
      const from = (row + first * strideWidth + dw) * c;
      if (strideWidth === 1) {
        dst.set(src.subarray(from, from + (last - first + 1) * c), to);
      } else {
        for (let ow = 0; ow <= last - first; ow++) {
          const f = from + ow * strideWidth * c;
          dst.set(src.subarray(f, f + c), to + ow * c);
        }
      }
    }
  }
  return out;
}
