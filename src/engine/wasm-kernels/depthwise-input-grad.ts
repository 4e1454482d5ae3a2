import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { geometry, inputGradAsConv } from './conv-as-forward.js';
import { run, withScope, type Info, type Scope, type Shape4 } from './kernel-utils.js';

/**
 * Missing on wasm. With a channel multiplier m > 1, output channel c*m+q belongs to input
 * channel c: dy is split by q and each part goes through the m = 1 formulation.
 */
export const depthwiseBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const { strides, dilations, pad, dimRoundingMode, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, true,
  );
  const g = geometry(info);
  const [kh, kw, c, m] = filter.shape as number[];
  return withScope(backend as BackendWasm, (scope) => {
    const flipped = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
    if (m === 1) return inputGradAsConv(scope, 'DepthwiseConv2dNative', dy, flipped, g);
    const filters = multiplierSlices(scope, scope.reshape(flipped, [kh!, kw!, c! * m!]), m!).map((f) =>
      scope.reshape(f, [kh!, kw!, c!, 1]),
    );
    const parts = multiplierSlices(scope, dy, m!).map((dyQ, q) =>
      scope.track(inputGradAsConv(scope, 'DepthwiseConv2dNative', dyQ, filters[q]!, g)),
    );
    return run(scope.backend, 'AddN', parts);
  });
};

/** Splits the last axis (C*m, channel-major) into m tensors of C channels. */
function multiplierSlices(scope: Scope, t: Info, m: number): Info[] {
  const shape = t.shape.slice(0, -1);
  const c = t.shape[t.shape.length - 1]! / m;
  const split = scope.reshape(t, [...shape, c, m]);
  return Array.from({ length: m }, (_, q) => {
    const begin = [...shape.map(() => 0), 0, q];
    const piece = scope.run('Slice', { x: split }, { begin, size: [...shape, c, 1] });
    return scope.reshape(piece, [...shape, c]);
  });
}
