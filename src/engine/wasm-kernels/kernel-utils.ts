import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Info = tf.TensorInfo;
export type Shape4 = [number, number, number, number];
export type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/**
 * Runs a kernel of the wasm backend on tensor infos, outside the engine: no tape entry, no
 * tracked tensor. Intermediate results must be released with `Scope`.
 */
export function run(backend: BackendWasm, name: string, inputs: tf.NamedTensorInfoMap | Info[], attrs: object = {}): Info {
  const kernel = tf.getKernel(name, 'wasm');
  if (kernel === undefined) throw new Error(`wasm kernel ${name} is not registered`);
  return kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap }) as Info;
}

/** Owns intermediate tensor infos of one kernel call and frees them together. */
export class Scope {
  private readonly owned: Info[] = [];
  private readonly views: Info[] = [];

  constructor(readonly backend: BackendWasm) {}

  track(info: Info): Info {
    this.owned.push(info);
    return info;
  }

  run(name: string, inputs: tf.NamedTensorInfoMap | Info[], attrs: object = {}): Info {
    return this.track(run(this.backend, name, inputs, attrs));
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  transpose(x: Info, perm: number[]): Info {
    return this.run('Transpose', { x }, { perm });
  }

  /**
   * A tensor over `size(shape)` elements of `base` from element `offset` on, without a copy
   * (a window of a flat buffer). Only to be read, and only while `base` lives.
   */
  view(base: Info, offset: number, shape: number[]): Info {
    const { memoryOffset } = this.backend.dataIdMap.get(base.dataId) as { memoryOffset: number };
    if (offset < 0 || offset + tf.util.sizeFromShape(shape) > tf.util.sizeFromShape(base.shape)) {
      throw new Error(`view of ${shape} at ${offset} exceeds a tensor of ${base.shape}`);
    }
    const info = this.backend.makeOutput(shape, base.dtype, memoryOffset + offset * tf.util.bytesPerElement(base.dtype));
    this.views.push(info);
    return info;
  }

  dispose(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    // A view's memory belongs to its base: unregister it without freeing.
    for (const info of this.views) {
      const { id } = this.backend.dataIdMap.get(info.dataId) as { id: number };
      this.backend.wasm.tfjs.disposeData(id);
      this.backend.dataIdMap.delete(info.dataId);
    }
    this.owned.length = 0;
    this.views.length = 0;
  }
}

export function withScope<T>(backend: BackendWasm, body: (scope: Scope) => T): T {
  const scope = new Scope(backend);
  try {
    return body(scope);
  } finally {
    scope.dispose();
  }
}

/** A float32 or int32 view of a tensor's bytes on the wasm heap: no copy. */
export function heapView(backend: BackendWasm, info: Info): Float32Array | Int32Array | Uint8Array {
  return backend.typedArrayFromHeap(info);
}

/**
 * Explicit [top, bottom] paddings that make a stride-1 convolution with a (dilated) window of
 * `window` over `length` input rows produce exactly `outLength` rows, starting `offset` rows
 * before the input. `bottom` may be negative when trailing rows are never read.
 */
export function fitPadding(
  length: number,
  window: number,
  stride: number,
  offset: number,
  outLength: number,
): [number, number] {
  const bottom = (outLength - 1) * stride + window - length - offset;
  return [offset, bottom];
}
