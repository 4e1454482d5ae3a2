import type { Json } from '../plugin.js';
import { type EpdWeights, weightSpecs } from './model.js';
import type { ModelConfig } from './settings.js';

/** Weights in a snapshot: each one's float32 values as little-endian bytes in base64 (exact, and about a third of decimal JSON's size). */
export type WeightsJson = { readonly [name: string]: string };

export function weightsToJson(weights: EpdWeights): WeightsJson {
  return Object.fromEntries(
    [...weights].map(([name, w]) => [name, Buffer.from(w.values.buffer, w.values.byteOffset, w.values.byteLength).toString('base64')]),
  );
}

/** Reads weights back, checked against the model the run's parameters describe. */
export function weightsFromJson(json: Json, config: ModelConfig): EpdWeights {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new Error('NAO snapshot: weights must be an object');
  const stored = json as { [name: string]: Json };
  return new Map(
    weightSpecs(config).map((spec) => {
      const text = stored[spec.name];
      if (typeof text !== 'string') throw new Error(`NAO snapshot: weight ${spec.name} is missing`);
      const bytes = Buffer.from(text, 'base64');
      const size = spec.shape.reduce((a, b) => a * b, 1);
      if (bytes.byteLength !== 4 * size) {
        throw new Error(`NAO snapshot: weight ${spec.name} has ${bytes.byteLength / 4} values, the model needs ${size} (${spec.shape.join('×')})`);
      }
      // Copied into a fresh buffer: Node's pooled Buffers need not be 4-byte aligned.
      const values = new Float32Array(size);
      new Uint8Array(values.buffer).set(bytes);
      return [spec.name, { shape: spec.shape, values }];
    }),
  );
}
