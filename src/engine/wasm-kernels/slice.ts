import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, type Info } from './kernel-utils.js';

/** Below this many elements per contiguous run a plain loop beats a typed-array `set` (1-byte types). */
const SHORT_RUN = 32;

/**
 * Copies a box of `x` straight from heap view to heap view. The stock wasm Slice first copies
 * the whole input out of the heap, so LSTM gate splits and time-step unstacks paid for the full
 * tensor once per slice.
 */
export function sliceInfo(backend: BackendWasm, x: Info, begin: number[], size: number[]): Info {
  const out = backend.makeOutput(size, x.dtype);
  const total = tf.util.sizeFromShape(size);
  if (total === 0) return out;
  const src = heapView(backend, x);
  const dst = heapView(backend, out);
  // 4-byte elements move by copyWithin on one view of the whole heap: no view object per run.
  const heap = src.BYTES_PER_ELEMENT === 4 ? new Float32Array(src.buffer) : null;
  const [from, to] = [src.byteOffset / src.BYTES_PER_ELEMENT, dst.byteOffset / dst.BYTES_PER_ELEMENT];
  const shape = x.shape;
  const rank = shape.length;
  const strides = tf.util.computeStrides(shape);
  // Axes after `inner` are taken whole, so each run along `inner` is contiguous in memory.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === shape[inner]) inner--;
  const run = size[inner]! * (inner + 1 < rank ? strides[inner]! : 1);
  const runs = total / run;
  const base = begin.reduce((acc, b, axis) => acc + b * (axis < rank - 1 ? strides[axis]! : 1), 0);
  const index = new Array<number>(inner).fill(0);
  let offset = base;
  let o = 0;
  for (let r = 0; r < runs; r++) {
    if (heap !== null) {
      heap.copyWithin(to + o, from + offset, from + offset + run);
    } else if (run < SHORT_RUN) {
      for (let i = 0; i < run; i++) dst[o + i] = src[offset + i]!;
    } else {
      dst.set(src.subarray(offset, offset + run), o);
    }
    o += run;
    // Odometer over the outer axes.
    for (let axis = inner - 1; axis >= 0; axis--) {
      offset += strides[axis]!;
      if (++index[axis]! < size[axis]!) break;
      offset -= size[axis]! * strides[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}

export function makeSlice(stock: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: Info };
    if (x.dtype === 'string') return stock({ inputs, backend, attrs });
    const { begin, size } = attrs as unknown as tf.SliceAttrs;
    const [b, s] = tf.slice_util.parseSliceParams(x, begin, size);
    return sliceInfo(backend as BackendWasm, x, b!, s!);
  };
}

export function makeUnpack(stock: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { value } = inputs as { value: Info };
    if (value.dtype === 'string') return stock({ inputs, backend, attrs });
    const rank = value.shape.length;
    const axis = ((attrs as unknown as tf.UnpackAttrs).axis + rank) % rank;
    const outShape = value.shape.filter((_, i) => i !== axis);
    const begin = new Array<number>(rank).fill(0);
    const size = value.shape.slice();
    size[axis] = 1;
    const outs: Info[] = [];
    for (let i = 0; i < value.shape[axis]!; i++) {
      begin[axis] = i;
      const piece = sliceInfo(backend as BackendWasm, value, begin, size);
      outs.push({ dataId: piece.dataId, dtype: piece.dtype, shape: outShape });
    }
    return outs;
  };
}

export function makeSplitV(stock: tf.KernelFunc): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: Info };
    if (x.dtype === 'string') return stock({ inputs, backend, attrs });
    const { numOrSizeSplits, axis } = attrs as unknown as tf.SplitVAttrs;
    const $axis = tf.util.parseAxisParam(axis, x.shape)[0]!;
    const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, numOrSizeSplits, $axis);
    const begin = new Array<number>(x.shape.length).fill(0);
    return sizes.map((s) => {
      const size = x.shape.slice();
      size[$axis] = s;
      const piece = sliceInfo(backend as BackendWasm, x, begin, size);
      begin[$axis]! += s;
      return piece;
    });
  };
}
