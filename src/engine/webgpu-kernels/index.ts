import * as tf from '@tensorflow/tfjs-core';
import { replaceKernels, type KernelReplacement } from '../replace-kernels.js';
import { makeAddN } from './add-n.js';

/**
 * Stock WebGPU kernels that fail on what the engine's networks do, replaced by ones that call
 * the stock kernel within its limits. Every other training kernel and gradient the cnn-micro and
 * rnn-cell networks use is tfjs's own (test/engine/webgpu-kernels.test.ts checks them all).
 */
const REPLACED: readonly KernelReplacement[] = [[tf.AddN, makeAddN]];

let registered = false;

/** Registers the replacements for the 'webgpu' backend only, after its package registered its own. */
export function registerWebgpuKernels(): void {
  if (registered) return;
  replaceKernels('webgpu', REPLACED);
  registered = true;
}
