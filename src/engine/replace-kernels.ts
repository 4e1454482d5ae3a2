import * as tf from '@tensorflow/tfjs-core';

/** A replacement kernel, made from the stock one it may fall back to. */
export type KernelReplacement = readonly [kernelName: string, make: (stock: tf.KernelFunc) => tf.KernelFunc];

/**
 * Replaces stock kernels of one backend. The stock config is kept apart from its kernelFunc (on
 * wasm its setupFunc binds the export the stock kernelFunc calls).
 */
export function replaceKernels(backendName: string, replacements: readonly KernelReplacement[]): void {
  for (const [kernelName, make] of replacements) {
    const stock = tf.getKernel(kernelName, backendName);
    if (stock === undefined) throw new Error(`${backendName} backend has no ${kernelName} kernel to replace`);
    tf.unregisterKernel(kernelName, backendName);
    tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) });
  }
}
