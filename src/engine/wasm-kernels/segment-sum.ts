import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type Info } from './kernel-utils.js';

/**
 * Missing on wasm; it is the gradient of gather (embedding lookups), where ids repeat. A
 * scatter-add over heap views: one pass over x, plus zeroing the output. Ids outside
 * [0, numSegments) are dropped, as in TensorFlow.
 */
export const unsortedSegmentSum: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const b = backend as BackendWasm;
  const rows = tf.util.sizeFromShape(segmentIds.shape);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  const width = tf.util.sizeFromShape(rowShape);
  const out = b.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views are taken after the allocation: growing a non-shared heap detaches earlier views.
  const ids = heapView(b, segmentIds);
  const src = heapView(b, x);
  const dst = heapView(b, out);
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const id = ids[r]!;
    if (id < 0 || id >= numSegments) continue;
    const from = r * width;
    const to = id * width;
    for (let i = 0; i < width; i++) dst[to + i]! += src[from + i]!;
  }
  return out;
};
