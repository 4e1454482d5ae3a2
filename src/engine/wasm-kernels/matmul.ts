import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { run, withScope, type Info, type Scope } from './kernel-utils.js';
import { sliceInfo } from './slice.js';

/**
 * Per-matrix work (multiply-adds) above which a batched product is run matrix by matrix on
 * XNNPACK; below it the operator set-up per matrix costs more than the stock scalar loop.
 */
const PER_MATRIX_XNNPACK = 1 << 16;

/**
 * The stock kernel reaches XNNPACK (threaded, SIMD) only for one unbatched product without
 * transposes; everything else falls to a scalar triple loop at ~1.7 GFLOP/s. Here transposed
 * operands are materialised first (O(size), cheap next to the product), a shared right operand
 * folds the left batch into rows, and large batched products go one matrix at a time, so every
 * product is the plain case XNNPACK handles.
 */
export function makeBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if (a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const backend = args.backend as BackendWasm;
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const m = transposeA ? a.shape[rankA - 1]! : a.shape[rankA - 2]!;
    const k = transposeA ? a.shape[rankA - 2]! : a.shape[rankA - 1]!;
    const n = transposeB ? b.shape[rankB - 2]! : b.shape[rankB - 1]!;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const sharedRight = batchB === 1 && (batchA === 1 || !transposeA);
    if (!sharedRight && m * k * n < PER_MATRIX_XNNPACK) return stock(args);
    const outShape = [
      ...tf.broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2)),
      m,
      n,
    ];
    const product = (lhs: Info, rhs: Info): Info =>
      stock({ inputs: { a: lhs, b: rhs }, backend, attrs: { transposeA: false, transposeB: false } }) as Info;
    return withScope(backend, (scope) => {
      const right = (t: Info) => (transposeB ? scope.transpose(t, [0, 2, 1]) : t);
      if (sharedRight && transposeB && !transposeA) {
        // The input gradient of x·W is dy·Wᵀ, once per time step of a recurrent network against
        // the same W: its transpose is kept while W lives, and XNNPACK keeps its packing.
        const bT = transposedOperand(backend, b, n, k);
        return run(backend, 'Reshape', { x: scope.track(product(scope.reshape(a, [1, batchA * m, k]), bT)) }, { shape: outShape });
      }
      if (sharedRight) {
        const lhs = transposeA
          ? scope.transpose(scope.reshape(a, [1, k, m]), [0, 2, 1])
          : scope.reshape(a, [1, batchA * m, k]);
        const rhs = right(scope.reshape(b, transposeB ? [1, n, k] : [1, k, n]));
        return run(backend, 'Reshape', { x: scope.track(product(lhs, rhs)) }, { shape: outShape });
      }
      const a3 = scope.reshape(a, [batchA, transposeA ? k : m, transposeA ? m : k]);
      const b3 = scope.reshape(b, [batchB, transposeB ? n : k, transposeB ? k : n]);
      const parts: Info[] = [];
      for (let i = 0; i < Math.max(batchA, batchB); i++) {
        const ai = matrix(scope, a3, batchA === 1 ? 0 : i);
        const lhs = transposeA ? scope.transpose(ai, [0, 2, 1]) : ai;
        parts.push(scope.track(product(lhs, right(matrix(scope, b3, batchB === 1 ? 0 : i)))));
      }
      const stacked = scope.track(run(backend, 'Concat', parts, { axis: 0 }));
      return run(backend, 'Reshape', { x: stacked }, { shape: outShape });
    });
  };
}

/** Matrix i of a [batch, rows, cols] tensor, as [1, rows, cols]. */
function matrix(scope: Scope, t3: Info, i: number): Info {
  const [, rows, cols] = t3.shape as number[];
  return scope.track(sliceInfo(scope.backend, t3, [i, 0, 0], [1, rows!, cols!]));
}

/**
 * Transposed right operands by the operand's data id. A copy lives exactly as long as its operand:
 * the backend's disposeData is wrapped (once) to release it with the operand's last reference.
 */
const transposed = new Map<object, Info>();
const watched = new WeakSet<BackendWasm>();

/** b [n, k] (any leading ones) as [1, k, n], shared by every product against the same b. */
function transposedOperand(backend: BackendWasm, b: Info, n: number, k: number): Info {
  const cached = transposed.get(b.dataId);
  if (cached) return cached;
  releaseWithOperands(backend);
  const info = withScope(backend, (scope) => run(backend, 'Transpose', { x: scope.reshape(b, [1, n, k]) }, { perm: [0, 2, 1] }));
  transposed.set(b.dataId, info);
  return info;
}

function releaseWithOperands(backend: BackendWasm): void {
  if (watched.has(backend)) return;
  watched.add(backend);
  const dispose = backend.disposeData.bind(backend);
  backend.disposeData = (dataId, force) => {
    const released = dispose(dataId, force);
    const copy = transposed.get(dataId);
    if (copy !== undefined && !backend.dataIdMap.has(dataId)) {
      transposed.delete(dataId);
      dispose(copy.dataId);
    }
    return released;
  };
}
