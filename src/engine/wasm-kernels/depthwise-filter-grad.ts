import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapView, withScope, type Info, type Scope, type Shape4 } from './kernel-utils.js';
import { tap } from './taps.js';

/**
 * Missing on wasm. dW[a,b,c] = Σ over n,i,j of x[n, i·s + a − pad, j·s + b − pad, c]·dy[n,i,j,c]:
 * per tap, one elementwise product with dy and one sum over all pixels (an average pool), both on
 * XNNPACK.
 *
 * The shifted x of a tap is not copied. x is padded once and split into its stride phases
 * (x[n, u·s + r, v·s + q] for each r, q < s), every phase a grid of the same height and row pitch
 * as dy padded with zeros to that size. In that layout the pixels a tap reads lie at one fixed
 * offset from dy's pixels in the flat buffers, so the tap's operand is a window of the phase
 * buffer; where a window row runs past dy's own columns it meets dy's zero padding. A JavaScript
 * loop over the taps is ~5× slower; copying every tap out first, 3×.
 */
export const depthwiseBackpropFilter: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, dilations, pad, dimRoundingMode, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4, filterShape, strides, dilations, pad, dimRoundingMode, true,
  );
  const b = backend as BackendWasm;
  const out = b.makeOutput(filterShape, 'float32');
  const multiplier = filterShape[3];
  withScope(b, (scope) => {
    if (multiplier === 1 && info.dilationHeight === 1 && info.dilationWidth === 1) byWindows(scope, x, dy, info, out);
    else byCopiedTaps(scope, x, dy, info, out);
  });
  return out;
};

function byWindows(scope: Scope, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo, out: Info): void {
  const { batchSize: n, inChannels: c, outHeight: ho, outWidth: wo } = info;
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw } = info;
  // Phase grids: a tap (a, b) reads phase (a mod s, b mod s) shifted by (⌊a/s⌋, ⌊b/s⌋).
  const hq = ho + Math.ceil(kh / sh) - 1;
  const wq = wo + Math.ceil(kw / sw) - 1;
  const grid = n * hq * wq;
  const phases = scope.track(phaseGrids(scope.backend, x, [sh, sw], [info.padInfo.top, info.padInfo.left], [hq, wq]));
  const dyGrid = scope.track(phaseGrids(scope.backend, dy, [1, 1], [0, 0], [hq, wq]));
  // dy's last non-zero pixel plus the largest shift is the grid's last pixel, so one window
  // length serves every tap.
  const pixels = grid - ((Math.ceil(kh / sh) - 1) * wq + Math.ceil(kw / sw) - 1);
  const dyWindow = scope.view(dyGrid, 0, [1, pixels, 1, c]);
  for (let a = 0; a < kh; a++) {
    for (let bb = 0; bb < kw; bb++) {
      const phase = (a % sh) * sw + (bb % sw);
      const shift = Math.floor(a / sh) * wq + Math.floor(bb / sw);
      const xWindow = scope.view(phases, (phase * grid + shift) * c, [1, pixels, 1, c]);
      const sum = pixelSum(scope, scope.run('Multiply', { a: dyWindow, b: xWindow }), pixels);
      // The output view is taken last: allocations above may have moved the heap.
      heapView(scope.backend, out).set(sum, (a * kw + bb) * c);
    }
  }
}

/**
 * The stride phases of an NHWC tensor, [sh·sw, N, hq, wq, C] flat: phase (r, q) holds
 * t[n, u·sh + r − top, v·sw + q − left] at (n, u, v), zero outside t. Block copies inside the
 * wasm heap; the stock wasm Transpose and StridedSlice take 25–50× longer for this.
 */
type Pair = [number, number];

function phaseGrids(backend: BackendWasm, t: Info, [sh, sw]: Pair, [top, left]: Pair, [hq, wq]: Pair): Info {
  const [n, h, w, c] = t.shape as Shape4;
  const out = backend.makeOutput([sh * sw * n * hq * wq * c], 'float32');
  const target = heapView(backend, out);
  // One view of the whole heap, so that copies are copyWithin calls: no view object per row.
  const heap = new Float32Array(target.buffer);
  const from = heapView(backend, t).byteOffset / 4;
  const to = target.byteOffset / 4;
  heap.fill(0, to, to + sh * sw * n * hq * wq * c);
  for (let r = 0; r < sh; r++) {
    for (let q = 0; q < sw; q++) {
      // Grid columns v whose source column v·sw + q − left lies inside t.
      const first = Math.max(0, Math.ceil((left - q) / sw));
      const last = Math.min(wq - 1, Math.floor((w - 1 + left - q) / sw));
      if (last < first) continue;
      const phaseStart = to + (r * sw + q) * n * hq * wq * c;
      for (let b = 0; b < n; b++) {
        for (let u = 0; u < hq; u++) {
          const row = u * sh + r - top;
          if (row < 0 || row >= h) continue;
          let src = from + ((b * h + row) * w + first * sw + q - left) * c;
          let dst = phaseStart + ((b * hq + u) * wq + first) * c;
          if (sw === 1) {
            heap.copyWithin(dst, src, src + (last - first + 1) * c);
          } else {
            for (let v = first; v <= last; v++, src += sw * c, dst += c) heap.copyWithin(dst, src, src + c);
          }
        }
      }
    }
  }
  return out;
}

/** Dilated filters and channel multipliers above 1: each tap's x copied out, then as above. */
function byCopiedTaps(scope: Scope, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo, out: Info): void {
  const [kh, kw, c, m] = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels / info.inChannels];
  const pixels = info.batchSize * info.outHeight * info.outWidth;
  const dyByChannel = scope.reshape(dy, [pixels, c, m]);
  for (let a = 0; a < kh; a++) {
    for (let bb = 0; bb < kw; bb++) {
      const shifted = scope.reshape(scope.track(tap(scope.backend, x, info, a, bb)), [pixels, c, 1]);
      const product = scope.run('Multiply', { a: shifted, b: dyByChannel });
      const sum = pixelSum(scope, scope.reshape(product, [1, pixels, 1, c * m]), pixels);
      heapView(scope.backend, out).set(sum, (a * kw + bb) * c * m);
    }
  }
}

/** Sum over the pixels of a [1, pixels, 1, width] tensor, as a float array of `width` values. */
function pixelSum(scope: Scope, t: Info, pixels: number): Float32Array {
  const pooled = () => scope.run('AvgPool', { x: t }, { filterSize: [pixels, 1], strides: 1, pad: 'valid' });
  const values = heapView(scope.backend, pixels === 1 ? t : pooled());
  // XNNPACK's pooling turns NaN into −Infinity; such sums are redone here so that NaN propagates.
  if (values.includes(-Infinity)) return plainSum(heapView(scope.backend, t), pixels);
  return Float32Array.from(values, (v) => v * pixels);
}

function plainSum(values: Float32Array | Int32Array | Uint8Array, pixels: number): Float32Array {
  const width = values.length / pixels;
  const sums = new Float64Array(width);
  for (let i = 0; i < values.length; i++) sums[i % width]! += values[i]!;
  return Float32Array.from(sums);
}
