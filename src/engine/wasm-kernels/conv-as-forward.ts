import * as tf from '@tensorflow/tfjs-core';
import { fitPadding, heapView, run, type Info, type Scope } from './kernel-utils.js';
import { sliceInfo } from './slice.js';

/**
 * Convolution gradients written as forward convolutions, so that they run on XNNPACK
 * (multi-threaded, SIMD) instead of scalar loops: the input gradient of Conv2D and of
 * DepthwiseConv2dNative, and the filter gradient of Conv2D. The geometry is the forward pass's.
 */
export type ForwardConv = 'Conv2D' | 'DepthwiseConv2dNative';

export interface Geometry {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
  readonly filterHeight: number;
  readonly filterWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
}

export function geometry(info: tf.backend_util.Conv2DInfo): Geometry {
  return {
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight,
    dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/**
 * dx = conv(dy with stride-1 zeros between its pixels, filter rotated by 180°), padded so the
 * result has the input's size. `flipped` is already rotated (and, for Conv2D, has its in/out
 * channel axes swapped). The returned info is not owned by `scope`.
 */
export function inputGradAsConv(scope: Scope, forward: ForwardConv, dy: Info, flipped: Info, g: Geometry): Info {
  const up = upsample(scope, dy, g.strideHeight, g.strideWidth);
  const windowH = (g.filterHeight - 1) * g.dilationHeight + 1;
  const windowW = (g.filterWidth - 1) * g.dilationWidth + 1;
  const rows = fitPadding(up.shape[1]!, windowH, 1, windowH - 1 - g.padTop, g.inHeight);
  const cols = fitPadding(up.shape[2]!, windowW, 1, windowW - 1 - g.padLeft, g.inWidth);
  return conv(scope, forward, up, flipped, [1, 1], [g.dilationHeight, g.dilationWidth], rows, cols);
}

/**
 * dW of Conv2D: with the batch and channel axes of x swapped, dy becomes the filter of a forward
 * convolution whose stride is the original dilation and whose dilation is the original stride.
 * Result [kh, kw, inChannels, outChannels], not owned by `scope`.
 */
export function filterGradAsConv(scope: Scope, x: Info, dy: Info, g: Geometry): Info {
  if (isPointwise(g)) {
    // Every pixel is one row of a plain product: xᵀ·dy, about 10× faster than the image-sized
    // convolution below.
    const [n, h, w, ci] = x.shape as number[];
    const co = dy.shape[3]!;
    const rows = n! * h! * w!;
    const product = scope.run('BatchMatMul', { a: scope.reshape(x, [rows, ci!]), b: scope.reshape(dy, [rows, co]) }, {
      transposeA: true,
      transposeB: false,
    });
    return run(scope.backend, 'Reshape', { x: product }, { shape: [1, 1, ci!, co] });
  }
  const xT = scope.transpose(x, [3, 1, 2, 0]);
  const dyT = scope.transpose(dy, [1, 2, 0, 3]);
  const out = filterConv(scope, xT, dyT, g);
  return run(scope.backend, 'Transpose', { x: out }, { perm: [1, 2, 0, 3] });
}

function isPointwise(g: Geometry): boolean {
  const unit = g.filterHeight === 1 && g.filterWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1;
  return unit && g.padTop === 0 && g.padLeft === 0;
}

/** The forward convolution of the filter gradient; result owned by `scope`. */
function filterConv(scope: Scope, input: Info, dyFilter: Info, g: Geometry): Info {
  const windowH = (g.outHeight - 1) * g.strideHeight + 1;
  const windowW = (g.outWidth - 1) * g.strideWidth + 1;
  const rows = fitPadding(g.inHeight, windowH, g.dilationHeight, g.padTop, g.filterHeight);
  const cols = fitPadding(g.inWidth, windowW, g.dilationWidth, g.padLeft, g.filterWidth);
  return scope.track(
    conv(scope, 'Conv2D', input, dyFilter, [g.dilationHeight, g.dilationWidth], [g.strideHeight, g.strideWidth], rows, cols),
  );
}

/** Inserts stride-1 zeros after every row and column (trailing ones are cropped by padding). */
function upsample(scope: Scope, x: Info, sh: number, sw: number): Info {
  if (sh === 1 && sw === 1) return x;
  const [n, h, w, c] = x.shape as number[];
  const out = scope.track(scope.backend.makeOutput([n!, h! * sh, w! * sw, c!], x.dtype));
  const src = heapView(scope.backend, x);
  const dst = heapView(scope.backend, out);
  dst.fill(0);
  for (let row = 0; row < n! * h!; row++) {
    const to = row * sh * w! * sw * c!;
    for (let col = 0; col < w!; col++) {
      const from = (row * w! + col) * c!;
      dst.set(src.subarray(from, from + c!), to + col * sw * c!);
    }
  }
  return out;
}

/**
 * A forward convolution with explicit paddings. XNNPACK takes no negative padding, so rows or
 * columns that a negative padding would skip are sliced off the input first. Not owned by `scope`.
 */
function conv(
  scope: Scope,
  forward: ForwardConv,
  x: Info,
  filter: Info,
  strides: [number, number],
  dilations: [number, number],
  rows: [number, number],
  cols: [number, number],
): Info {
  let input = x;
  if (Math.min(...rows, ...cols) < 0) {
    const [n, h, w, c] = x.shape as number[];
    const top = Math.max(0, -rows[0]);
    const left = Math.max(0, -cols[0]);
    const height = h! - top - Math.max(0, -rows[1]);
    const width = w! - left - Math.max(0, -cols[1]);
    input = scope.track(sliceInfo(scope.backend, x, [0, top, left, 0], [n!, height, width, c!]));
  }
  const pad: tf.backend_util.ExplicitPadding = [
    [0, 0],
    [Math.max(0, rows[0]), Math.max(0, rows[1])],
    [Math.max(0, cols[0]), Math.max(0, cols[1])],
    [0, 0],
  ];
  return run(scope.backend, forward, { x: input, filter }, { strides, pad, dilations, dataFormat: 'NHWC' });
}
