import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, withScope, type Info } from './kernel-utils.js';

/**
 * The stock MaxPoolGrad and MaxPoolWithArgmax start each window's search from a maximum of 0, so
 * a window whose values are all negative sends its gradient to a wrong position. Shifting the
 * input to be positive (argmax is unchanged) makes MaxPoolWithArgmax exact; its flat indices
 * then route each dy element in one scatter-add pass. A JavaScript search of every window would
 * be ~10x slower.
 */
export const maxPoolGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, input } = inputs as { dy: Info; input: Info };
  const { filterSize, strides, pad } = attrs as unknown as tf.MaxPoolGradAttrs;
  const b = backend as BackendWasm;
  return withScope(b, (scope) => {
    const axis = input.shape.map((_, i) => i);
    const lowest = scope.run('Min', { x: input }, { axis, keepDims: false });
    const offset = scope.run('Sub', { a: lowest, b: scope.track(scalar(b, 1)) });
    const positive = scope.run('Sub', { a: input, b: offset });
    const argmax = tf.getKernel('MaxPoolWithArgmax', 'wasm')!.kernelFunc;
    const attrsWithBatch = { filterSize, strides, pad, includeBatchInIndex: true };
    const [pooled, indexes] = argmax({ inputs: { x: positive }, backend, attrs: attrsWithBatch }) as Info[];
    scope.track(pooled!);
    scope.track(indexes!);
    const out = b.makeOutput(input.shape, 'float32');
    const dx = heapView(b, out);
    const g = heapView(b, dy);
    const at = heapView(b, indexes!);
    dx.fill(0);
    for (let i = 0; i < g.length; i++) dx[at[i]!]! += g[i]!;
    return out;
  });
};

function scalar(backend: BackendWasm, value: number): Info {
  const info = backend.makeOutput([], 'float32');
  heapView(backend, info)[0] = value;
  return info;
}
