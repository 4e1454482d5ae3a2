import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type Info } from './kernel-utils.js';

/** Below this many elements per copy call on average, the stock element loop is as fast. */
const MIN_PER_COPY = 16;

function copyCalls(shape: number[], reps: number[]): number {
  let calls = tf.util.sizeFromShape(shape.slice(0, -1));
  shape.forEach((_, k) => {
    if (reps[k]! > 1) calls += tf.util.sizeFromShape(shape.slice(0, k)) * Math.ceil(Math.log2(reps[k]!));
  });
  return calls;
}

/**
 * Tiles by block copies inside the output: place the input once, then double each finished
 * block along one axis at a time, innermost first. tfjs-core's batch-norm gradient tiles a
 * [1,1,1,C] vector to the activation shape, which the stock kernel does element by element.
 */
export function makeTile(stock: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: Info };
    const { reps } = attrs as unknown as tf.TileAttrs;
    const shape = x.shape;
    const rank = shape.length;
    const outShape = shape.map((d, i) => d * reps[i]!);
    const outSize = tf.util.sizeFromShape(outShape);
    if (x.dtype === 'string' || rank === 0 || outSize === 0 || copyCalls(shape, reps) * MIN_PER_COPY > outSize) {
      return stock({ inputs, backend, attrs });
    }
    const b = backend as BackendWasm;
    const out = b.makeOutput(outShape, x.dtype);
    const src = heapView(b, x);
    const dst = heapView(b, out);
    const outStrides = [...tf.util.computeStrides(outShape), 1];

    // Place each innermost row of x at its position in the first tile.
    const row = shape[rank - 1]!;
    const rows = src.length / row;
    const index = new Array<number>(rank - 1).fill(0);
    let offset = 0;
    for (let r = 0; r < rows; r++) {
      dst.set(src.subarray(r * row, (r + 1) * row), offset);
      for (let axis = rank - 2; axis >= 0; axis--) {
        offset += outStrides[axis]!;
        if (++index[axis]! < shape[axis]!) break;
        offset -= shape[axis]! * outStrides[axis]!;
        index[axis] = 0;
      }
    }

    // Axis k: every prefix over axes < k (within the first tile) owns a finished run of
    // shape[k] * outStrides[k] elements that is repeated reps[k] times right after itself.
    for (let k = rank - 1; k >= 0; k--) {
      if (reps[k] === 1) continue;
      const block = shape[k]! * outStrides[k]!;
      const prefixes = tf.util.sizeFromShape(shape.slice(0, k));
      const prefixIndex = new Array<number>(k).fill(0);
      let start = 0;
      for (let p = 0; p < prefixes; p++) {
        let filled = block;
        const full = block * reps[k]!;
        while (filled < full) {
          const n = Math.min(filled, full - filled);
          dst.copyWithin(start + filled, start, start + n);
          filled += n;
        }
        for (let axis = k - 1; axis >= 0; axis--) {
          start += outStrides[axis]!;
          if (++prefixIndex[axis]! < shape[axis]!) break;
          start -= shape[axis]! * outStrides[axis]!;
          prefixIndex[axis] = 0;
        }
      }
    }
    return out;
  };
}
