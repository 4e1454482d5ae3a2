import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { filterGradAsConv, geometry, inputGradAsConv } from './conv-as-forward.js';
import { withScope, type Info, type Shape4 } from './kernel-utils.js';

function channelsLastOnly(dataFormat: string): void {
  if (dataFormat === 'NCHW') throw new Error('wasm convolution gradients support only NHWC');
}

/** Missing on wasm: tfjs-core's Conv2D gradient needs it for the filter. */
export const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  channelsLastOnly(dataFormat);
  const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filterShape, strides, 1, pad, dimRoundingMode);
  return withScope(backend as BackendWasm, (scope) => filterGradAsConv(scope, x, dy, geometry(info)));
};

/** Replaces the stock kernel, a scalar loop about 17× slower than the equivalent forward conv. */
export const conv2DBackpropInput: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  channelsLastOnly(dataFormat);
  const info = tf.backend_util.computeConv2DInfo(inputShape, filter.shape as Shape4, strides, 1, pad, dimRoundingMode);
  return withScope(backend as BackendWasm, (scope) => {
    const flipped = scope.transpose(scope.run('Reverse', { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]);
    return inputGradAsConv(scope, 'Conv2D', dy, flipped, geometry(info));
  });
};

