import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, withScope, type Info } from './kernel-utils.js';

/** Below this many elements the stock kernel's broadcast loop is as fast. */
const MIN_ELEMENTS = 1 << 12;

/**
 * x ⊙ v with v one value per channel (shape [C] or [1, …, 1, C]) and x [..., C]: batch-norm
 * statistics, normalisation and gradients, biases. The stock kernels run any operands of
 * different shapes through a scalar broadcast loop, 5× the time of same-shape operands; here v
 * is first repeated to x's shape by block copies (doubling inside the output), then the stock
 * kernel runs on equal shapes: the same arithmetic, element by element. (A 1×1 depthwise
 * convolution with v as filter or bias is as fast, but XNNPACK's channel multiply-add kernel
 * turns NaN into −Infinity.)
 */
export function makeChannelBinary(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const vectorFirst = isChannelVector(a, b);
    if (!vectorFirst && !isChannelVector(b, a)) return stock(args);
    const [full, vector] = vectorFirst ? [b, a] : [a, b];
    const backend = args.backend as BackendWasm;
    return withScope(backend, (scope) => {
      const repeated = scope.track(repeatRows(backend, vector, tf.util.sizeFromShape(full.shape)));
      const tiled = scope.reshape(repeated, full.shape);
      const inputs = vectorFirst ? { a: tiled, b: full } : { a: full, b: tiled };
      return stock({ ...args, inputs }) as Info;
    });
  };
}

/** `v` holds one value per channel of `x` (its last axis), and x is large enough to bother. */
function isChannelVector(v: Info, x: Info): boolean {
  if (v.dtype !== 'float32' || x.dtype !== 'float32') return false;
  const channels = x.shape[x.shape.length - 1];
  if (channels === undefined || v.shape.length === 0 || v.shape[v.shape.length - 1] !== channels) return false;
  if (v.shape.length > x.shape.length || v.shape.slice(0, -1).some((d) => d !== 1)) return false;
  const size = tf.util.sizeFromShape(x.shape);
  return size >= MIN_ELEMENTS && size > channels;
}

/** v's values repeated until `size` elements, as a flat tensor. */
function repeatRows(backend: BackendWasm, v: Info, size: number): Info {
  const out = backend.makeOutput([size], 'float32');
  const dst = heapView(backend, out);
  const src = heapView(backend, v);
  dst.set(src);
  for (let filled = src.length; filled < size; filled *= 2) dst.copyWithin(filled, 0, Math.min(filled, size - filled));
  return out;
}

