import type * as tf from '@tensorflow/tfjs-core';

/** What the kernel needs of tfjs's WebGPUBackend. */
interface WebgpuBackendLimits {
  readonly device: { readonly limits: { readonly maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object): boolean;
}

/**
 * tfjs's WebGPU AddN binds every input, and the output, as storage buffers of one shader. Past
 * the device's maxStorageBuffersPerShaderStage (8 by default, 16 on lavapipe) the pipeline is
 * invalid and the sum reads as zeros: a highway cell's output averages up to 12 loose ends.
 * More inputs than fit are summed in groups that fit, then the partial sums are summed.
 */
export function makeAddN(stock: tf.KernelFunc): tf.KernelFunc {
  const addN: tf.KernelFunc = ({ inputs, backend, attrs }) => {
    const terms = inputs as unknown as tf.TensorInfo[];
    const gpu = backend as unknown as WebgpuBackendLimits;
    const fit = Math.max(2, gpu.device.limits.maxStorageBuffersPerShaderStage - 1);
    if (terms.length <= fit) return stock({ inputs, backend, attrs });
    const partials: tf.TensorInfo[] = [];
    try {
      for (let i = 0; i < terms.length; i += fit) {
        partials.push(stock({ inputs: terms.slice(i, i + fit) as unknown as tf.NamedTensorInfoMap, backend, attrs }) as tf.TensorInfo);
      }
      return addN({ inputs: partials as unknown as tf.NamedTensorInfoMap, backend, attrs });
    } finally {
      for (const partial of partials) gpu.disposeData(partial.dataId);
    }
  };
  return addN;
}
