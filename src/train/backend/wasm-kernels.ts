import type { Tf } from './tf.js';

type TensorInfo = import('@tensorflow/tfjs').TensorInfo;
type KernelArgs = { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: Record<string, unknown> };

/**
 * tfjs-backend-wasm 4.22 has every kernel a small CNN needs except Conv2DBackpropFilter (the
 * gradient of conv2d with respect to its filter), so training a CNN on wasm fails. It does have
 * Conv3DBackpropFilterV2, and an NHWC image is an NDHWC volume of depth 1 with the same bytes:
 * the 2-D filter gradient is the 3-D one of depth 1, reshaped (no copy). Registered once.
 * Stride 1 only: that wasm kernel gives wrong gradients for larger strides (checked against the
 * cpu backend and by hand); the CNNs built here downsample with max pooling, never with strides.
 */
export function registerWasmConv2dFilterGradient(tf: Tf): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm') !== undefined) return;
  const conv3d = tf.getKernel('Conv3DBackpropFilterV2', 'wasm');
  if (conv3d === undefined) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: (({ inputs, backend, attrs }: KernelArgs) => {
      const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
      const { strides, pad, dataFormat, filterShape } = attrs as { strides: number | [number, number]; pad: unknown; dataFormat: string; filterShape: number[] };
      const [sh, sw] = typeof strides === 'number' ? [strides, strides] : strides;
      if (sh !== 1 || sw !== 1) throw new Error(`Conv2DBackpropFilter on wasm supports stride 1 only, got ${sh}×${sw}: use backend cpu for this model`);
      if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, got ${dataFormat}`);
      if (typeof pad !== 'string' && typeof pad !== 'number') throw new Error('Conv2DBackpropFilter on wasm supports "same", "valid" or a number as pad');
      const [n, h, w, c] = x.shape;
      const [, oh, ow, f] = dy.shape;
      const dw = conv3d.kernelFunc({
        inputs: { x: { ...x, shape: [n!, 1, h!, w!, c!] }, dy: { ...dy, shape: [n!, 1, oh!, ow!, f!] } },
        backend: backend as never,
        attrs: { strides: [1, 1, 1], pad, filterShape: [1, ...filterShape] },
      }) as TensorInfo;
      return { ...dw, shape: filterShape };
    }) as never,
  });
}
