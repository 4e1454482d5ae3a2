import * as tf from '@tensorflow/tfjs-core';
import { makeAvgPoolGrad } from './avg-pool-grad.js';
import { makeChannelBinary } from './channel-binary.js';
import { makeConcat } from './concat.js';
import { conv2DBackpropFilter, conv2DBackpropInput } from './conv2d-grad.js';
import { depthwiseBackpropInput } from './depthwise-input-grad.js';
import { depthwiseBackpropFilter } from './depthwise-filter-grad.js';
import { makeIdentity } from './identity.js';
import { makeBatchMatMul } from './matmul.js';
import { maxPoolGrad } from './max-pool-grad.js';
import { makeOneHot } from './one-hot.js';
import { makeReduce } from './reduce.js';
import { unsortedSegmentSum } from './segment-sum.js';
import { makeSlice, makeSplitV, makeUnpack } from './slice.js';
import { makeTile } from './tile.js';
import { makeTranspose } from './transpose.js';
import { replaceKernels, type KernelReplacement } from '../replace-kernels.js';

/** Kernels the wasm backend lacks; tfjs-core's gradients call them. */
const ADDED: ReadonlyArray<[string, tf.KernelFunc]> = [
  [tf.Conv2DBackpropFilter, conv2DBackpropFilter],
  [tf.DepthwiseConv2dNativeBackpropFilter, depthwiseBackpropFilter],
  [tf.DepthwiseConv2dNativeBackpropInput, depthwiseBackpropInput],
  [tf.UnsortedSegmentSum, unsortedSegmentSum],
];

/** Stock wasm kernels replaced by faster ones; a replacement may fall back to the stock one. */
const REPLACED: readonly KernelReplacement[] = [
  [tf.Conv2DBackpropInput, () => conv2DBackpropInput],
  [tf.MaxPoolGrad, () => maxPoolGrad],
  [tf.Sum, (stock) => makeReduce(stock, false)],
  [tf.Mean, (stock) => makeReduce(stock, true)],
  [tf.BatchMatMul, makeBatchMatMul],
  [tf.Identity, makeIdentity],
  [tf.Slice, makeSlice],
  [tf.Unpack, makeUnpack],
  [tf.SplitV, makeSplitV],
  [tf.Tile, makeTile],
  [tf.Transpose, makeTranspose],
  [tf.AvgPoolGrad, makeAvgPoolGrad],
  [tf.Concat, makeConcat],
  [tf.OneHot, makeOneHot],
  [tf.Multiply, makeChannelBinary],
  [tf.Add, makeChannelBinary],
  [tf.Sub, makeChannelBinary],
];

export const PACK_KERNELS: readonly string[] = [...ADDED, ...REPLACED].map(([name]) => name);

let registered = false;

/** Registers the pack for the 'wasm' backend only; later calls do nothing. */
export function registerWasmKernels(): void {
  if (registered) return;
  for (const [kernelName, kernelFunc] of ADDED) {
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc });
  }
  replaceKernels('wasm', REPLACED);
  registered = true;
}
