import * as tf from '@tensorflow/tfjs-core';

type Shape4 = [number, number, number, number];
type DilatedGrad = (dy: tf.Tensor, saved: tf.Tensor[], attrs: tf.NamedAttrMap) => ReturnType<tf.GradConfig['gradFunc']>;

/**
 * tfjs-core has no gradient for Conv2D or DepthwiseConv2dNative once dilation exceeds 1, on any
 * backend. These gradient functions cover that case (tfjs allows dilation only with stride 1)
 * with forward convolutions, the same formulation the wasm kernel pack uses; with dilation 1
 * tfjs-core's own gradient runs unchanged. Gradients are global in tfjs, so this is installed
 * for every backend.
 */
let registered = false;

export function registerDilatedConvGradients(): void {
  if (registered) return;
  registered = true;
  extend(tf.Conv2D, (dy, [x, filter], attrs) => {
    const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
    const info = tf.backend_util.computeConv2DInfo(
      x!.shape as Shape4, filter!.shape as Shape4, strides, dilations, pad, dimRoundingMode,
    );
    return {
      x: () => {
        const flipped = tf.transpose(tf.reverse(filter!, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
        return backwardInput(dy as tf.Tensor4D, info, (input, p) =>
          tf.conv2d(input, flipped, 1, p, 'NHWC', dilationOf(info)),
        );
      },
      filter: () => {
        const xT = tf.transpose(x!, [3, 1, 2, 0]) as tf.Tensor4D;
        const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
        const perInput = backwardFilter(xT, info, (input, p) => tf.conv2d(input, dyT, dilationOf(info), p));
        return tf.transpose(perInput, [1, 2, 0, 3]);
      },
    };
  });
  extend(tf.DepthwiseConv2dNative, (dy, [x, filter], attrs) => {
    const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
    const [kh, kw, c, m] = filter!.shape as Shape4;
    if (m !== 1) throw new Error('dilated depthwise convolution gradients need channel multiplier 1');
    const info = tf.backend_util.computeConv2DInfo(
      x!.shape as Shape4, filter!.shape as Shape4, strides, dilations, pad, dimRoundingMode, true,
    );
    const [n, h, w] = x!.shape as Shape4;
    return {
      x: () => {
        const flipped = tf.reverse(filter!, [0, 1]) as tf.Tensor4D;
        return backwardInput(dy as tf.Tensor4D, info, (input, p) =>
          tf.depthwiseConv2d(input, flipped, 1, p, 'NHWC', dilationOf(info)),
        );
      },
      filter: () => {
        // The batch is folded into channels; dy becomes a per-channel filter.
        const xT = tf.reshape(tf.transpose(x!, [1, 2, 0, 3]), [1, h, w, n * c]) as tf.Tensor4D;
        const dyT = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [info.outHeight, info.outWidth, n * c, 1]) as tf.Tensor4D;
        const perExample = backwardFilter(xT, info, (input, p) => tf.depthwiseConv2d(input, dyT, dilationOf(info), p));
        return tf.reshape(tf.sum(tf.reshape(perExample, [kh, kw, n, c]), 2), [kh, kw, c, 1]);
      },
    };
  });
}

function extend(kernelName: string, dilated: DilatedGrad): void {
  const original = tf.getGradient(kernelName);
  if (original === undefined) throw new Error(`no gradient registered for ${kernelName}`);
  tf.unregisterGradient(kernelName);
  tf.registerGradient({
    ...original,
    gradFunc: (dy, saved, attrs) => {
      const { dilations } = attrs as { dilations?: number | [number, number] };
      const [dh, dw] = typeof dilations === 'number' ? [dilations, dilations] : (dilations ?? [1, 1]);
      return dh === 1 && dw === 1 ? original.gradFunc(dy, saved, attrs) : dilated(dy as tf.Tensor, saved, attrs);
    },
  });
}

function dilationOf(info: tf.backend_util.Conv2DInfo): [number, number] {
  return [info.dilationHeight, info.dilationWidth];
}

type Conv = (input: tf.Tensor4D, pad: tf.backend_util.ExplicitPadding) => tf.Tensor4D;

/** dx (stride 1): dy convolved with the rotated filter, padded back to the input size. */
function backwardInput(dy: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, conv: Conv): tf.Tensor4D {
  const windowH = info.effectiveFilterHeight;
  const windowW = info.effectiveFilterWidth;
  const top = windowH - 1 - info.padInfo.top;
  const left = windowW - 1 - info.padInfo.left;
  return padded(dy, conv, [top, info.inHeight - 1 + windowH - info.outHeight - top], [
    left,
    info.inWidth - 1 + windowW - info.outWidth - left,
  ]);
}

/** dW (stride 1): x convolved with dy as filter, stepping by the dilation. */
function backwardFilter(xT: tf.Tensor4D, info: tf.backend_util.Conv2DInfo, conv: Conv): tf.Tensor4D {
  const { top, left } = info.padInfo;
  const rows = (info.filterHeight - 1) * info.dilationHeight + info.outHeight - info.inHeight - top;
  const cols = (info.filterWidth - 1) * info.dilationWidth + info.outWidth - info.inWidth - left;
  return padded(xT, conv, [top, rows], [left, cols]);
}

/** Applies `conv` with explicit padding; negative padding crops the input instead. */
function padded(input: tf.Tensor4D, conv: Conv, rows: [number, number], cols: [number, number]): tf.Tensor4D {
  const [n, h, w, c] = input.shape;
  const cropTop = Math.max(0, -rows[0]);
  const cropLeft = Math.max(0, -cols[0]);
  const height = h - cropTop - Math.max(0, -rows[1]);
  const width = w - cropLeft - Math.max(0, -cols[1]);
  const cropped = Math.min(...rows, ...cols) < 0 ? tf.slice(input, [0, cropTop, cropLeft, 0], [n, height, width, c]) : input;
  const clamp = (v: number) => Math.max(0, v);
  return conv(cropped, [[0, 0], [clamp(rows[0]), clamp(rows[1])], [clamp(cols[0]), clamp(cols[1])], [0, 0]]);
}
