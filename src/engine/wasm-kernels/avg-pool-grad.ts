import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, run, withScope, type Info, type Shape4 } from './kernel-utils.js';

/**
 * The stock kernel is a scalar loop (10 ms for a 64×28×28×8 batch). tfjs defines the gradient
 * of an average pool as every window's dy spread evenly over the window, 1/(fh·fw) each (the cpu
 * backend's definition, padding included): the input gradient of a depthwise convolution whose
 * filter is that constant, which the pack runs as a forward convolution on XNNPACK.
 */
export function makeAvgPoolGrad(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { dy, input } = args.inputs as { dy: Info; input: Info };
    const { filterSize, strides, pad } = args.attrs as unknown as tf.AvgPoolGradAttrs;
    if (input.dtype !== 'float32' || input.shape.length !== 4) return stock(args);
    const info = tf.backend_util.computePool2DInfo(input.shape as Shape4, filterSize, strides, 1, pad);
    const backend = args.backend as BackendWasm;
    return withScope(backend, (scope) => {
      const filter = scope.track(backend.makeOutput([info.filterHeight, info.filterWidth, info.inChannels, 1], 'float32'));
      heapView(backend, filter).fill(1 / (info.filterHeight * info.filterWidth));
      return run(backend, 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, {
        strides,
        pad,
        dilations: 1,
        inputShape: input.shape,
      });
    });
  };
}
