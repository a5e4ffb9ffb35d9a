import { findSharedLibrary } from './system.js';
import type { Tf } from './tf.js';

/**
 * The WebGPU backend in Node: Dawn from the `webgpu` npm package, handed to
 * @tensorflow/tfjs-backend-webgpu as `navigator.gpu`. A hardware adapter comes from Vulkan (Linux),
 * Metal (macOS) or D3D12 (Windows). A software rasterizer (Mesa llvmpipe/lavapipe, SwiftShader)
 * is about 10× slower than wasm: `auto` never takes one, a forced `backend: webgpu` may.
 */
export interface FoundAdapter {
  readonly adapter: GPUAdapterLike;
  /** The Dawn instance the adapter came from: it must outlive the device (a collected instance crashes Dawn). */
  readonly gpu: GPULike;
  /** "NVIDIA H200 (vulkan)", "llvmpipe (OpenGL 4.5 Mesa 22.3.6)". */
  readonly description: string;
  readonly software: boolean;
}

export type AdapterSearch = { readonly found: FoundAdapter } | { readonly reason: string; readonly hint?: string };

/** The subset of Dawn's GPUAdapter used here (the `webgpu` package has no DOM types in this build). */
interface GPUAdapterLike {
  readonly info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
}
interface GPULike {
  requestAdapter(options?: Record<string, unknown>): Promise<GPUAdapterLike | null>;
  getPreferredCanvasFormat(): string;
}

const SOFTWARE = /llvmpipe|lavapipe|softpipe|swiftshader|software|basic render/i;

/**
 * Looks for an adapter. Hardware first (never on Linux without a Vulkan loader: Dawn would only
 * print warnings); with `allowSoftware`, Mesa's OpenGL next, which needs EGL_PLATFORM=surfaceless
 * on a machine without a display (a worker thread cannot set it for the process).
 */
export async function findAdapter(opts: { allowSoftware: boolean }): Promise<AdapterSearch> {
  let webgpu: typeof import('webgpu');
  try {
    webgpu = await import('webgpu');
  } catch (e) {
    return { reason: `the webgpu package (Dawn) does not load here: ${firstLine(e)}`, hint: 'dawn.node needs glibc ≥ 2.34 on Linux' };
  }
  Object.assign(globalThis, webgpu.globals);
  const vulkan = process.platform !== 'linux' || findSharedLibrary('libvulkan.so.1') !== undefined;
  let hardwareWhyNot = 'no Vulkan loader (libvulkan.so.1): Dawn needs Vulkan for a hardware adapter on Linux';
  if (vulkan) {
    const gpu = webgpu.create([]) as unknown as GPULike;
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (adapter !== null) {
      const found = describe(adapter, gpu, process.platform === 'linux' ? 'vulkan' : 'native');
      if (!found.software || opts.allowSoftware) return { found };
      return { reason: `only a software adapter (${found.description}); auto never picks one: it is ~10× slower than wasm`, hint: 'force it with `backend: webgpu`' };
    }
    hardwareWhyNot = 'Dawn found no Vulkan/Metal/D3D12 adapter';
  }
  if (!opts.allowSoftware) return { reason: hardwareWhyNot };
  const gl = webgpu.create(['backend=opengl']) as unknown as GPULike;
  const adapter = await gl.requestAdapter({ featureLevel: 'compatibility' });
  if (adapter !== null) return { found: describe(adapter, gl, 'opengl') };
  return {
    reason: `${hardwareWhyNot}, and no OpenGL adapter either`,
    hint:
      process.env.EGL_PLATFORM === undefined
        ? 'for Mesa\'s software OpenGL on a machine without a display, run with EGL_PLATFORM=surfaceless in the environment'
        : 'install Mesa (libegl-mesa0, libgl1-mesa-dri) or a GPU driver with Vulkan',
  };
}

const registeredAdapter: { current?: FoundAdapter } = {};

/**
 * Makes `found` the adapter tfjs's WebGPU backend gets: its factory calls
 * navigator.gpu.requestAdapter(), so navigator.gpu answers with this adapter (Node 20 has no
 * navigator). Returns whether tfjs is now running on webgpu.
 */
export async function activateWebgpu(tf: Tf, found: FoundAdapter): Promise<boolean> {
  registeredAdapter.current = found;
  const gpu = {
    requestAdapter: async () => registeredAdapter.current?.adapter ?? null,
    getPreferredCanvasFormat: () => 'rgba8unorm',
  };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  return (await tf.setBackend('webgpu')) && tf.getBackend() === 'webgpu';
}

function describe(adapter: GPUAdapterLike, gpu: GPULike, api: string): FoundAdapter {
  const { vendor, architecture, device, description, isFallbackAdapter } = adapter.info;
  const name = [device, vendor, architecture].filter((s) => s !== '').join(' ') || 'unnamed adapter';
  const text = `${name} (${api}${description ? `: ${description}` : ''})`;
  return { adapter, gpu, description: text, software: isFallbackAdapter === true || SOFTWARE.test(`${name} ${description}`) };
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';
}
