import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { activateBackend } from '../../src/train/backend/choose.js';
import { isInstalled } from '../../src/train/backend/native.js';
import { TempProject } from '../helpers/project.js';

// This machine (and CI) has no CUDA GPU, no tfjs-node(-gpu) (their install downloads libtensorflow)
// and no hardware WebGPU adapter: `auto` must say so for each and end on wasm.
describe('backend choice', () => {
  it('auto skips what cannot run here, saying why, and reports the backend tfjs really runs on', async () => {
    expect(isInstalled('@tensorflow/tfjs-node')).toBe(false);
    expect(isInstalled('@tensorflow/tfjs-node-gpu')).toBe(false);
    const active = await activateBackend('auto');
    expect(active.attempts.map((a) => [a.backend, a.used])).toEqual([
      ['tfjs-node-gpu', false],
      ['webgpu', false],
      ['tfjs-node', false],
      ['wasm', true],
    ]);
    const [nodeGpu, webgpu, node] = active.attempts;
    expect(nodeGpu!.reason).toMatch(/@tensorflow\/tfjs-node-gpu is not installed/);
    expect(webgpu!.reason).toMatch(/no Vulkan loader|no Vulkan\/Metal\/D3D12 adapter|only a software adapter/);
    expect(node!.reason).toMatch(/@tensorflow\/tfjs-node is not installed/);
    expect(active.name).toBe('wasm');
    expect(active.tf.getBackend()).toBe('wasm');
    expect(active.tfBackend).toBe('wasm');
  });

  it('a forced backend that cannot run is E_BACKEND_UNAVAILABLE with the reason, never a silent fallback', async () => {
    await expect(activateBackend('tfjs-node')).rejects.toMatchObject({
      code: 'E_BACKEND_UNAVAILABLE',
      data: { backend: 'tfjs-node', reason: expect.stringMatching(/not installed/) },
    });
    const cpu = await activateBackend('cpu');
    expect([cpu.name, cpu.tf.getBackend()]).toEqual(['cpu', 'cpu']);
  });
});

describe('wasm conv2d filter gradient (registered by dvcts: tfjs-backend-wasm lacks it)', () => {
  it('equals the cpu backend\'s gradients for stride-1 convolutions, same and valid padding', async () => {
    const gradients = async (backend: 'cpu' | 'wasm'): Promise<number[][]> => {
      const { tf } = await activateBackend(backend);
      const x = tf.randomNormal([3, 9, 7, 2], 0, 1, 'float32', 1);
      const w = tf.randomNormal([3, 3, 2, 5], 0, 1, 'float32', 2);
      const out: number[][] = [];
      for (const pad of ['same', 'valid'] as const) {
        const [gx, gw] = tf.grads((a, b) => tf.sum(tf.square(tf.conv2d(a as any, b as any, 1, pad))))([x, w]);
        out.push(Array.from(await gw!.data()), Array.from(await gx!.data()));
      }
      return out;
    };
    const cpu = await gradients('cpu');
    const wasm = await gradients('wasm');
    cpu.forEach((values, i) => values.forEach((v, j) => expect(wasm[i]![j]!).toBeCloseTo(v, 2)));
  });
});

describe('backend: webgpu forced on Mesa llvmpipe (software OpenGL through Dawn)', () => {
  it('trains through tfjs-backend-webgpu and records the software adapter', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `${i},${i % 2 ? 'spring rain' : 'autumn wind'} ${i},${i % 2 ? 'a' : 'b'}`);
    const p = TempProject.init({
      'splits/train.csv': `id,text,label\n${rows.join('\n')}\n`,
      'splits/val.csv': `id,text,label\n${rows.slice(0, 10).join('\n')}\n`,
      'pipelines/p.yaml': `stages:
  train:
    uses: train
    deps: [splits]
    outs: [model]
    metrics: [train.json]
    with: { task: text-classification, epochs: 2, lr: 0.05, backend: webgpu }
`,
    });
    try {
      const withoutEgl = p.dvctsEnv({ EGL_PLATFORM: undefined }, 'repro');
      if (withoutEgl.code !== 0) expect(withoutEgl.stderr).toMatch(/E_BACKEND_UNAVAILABLE[\s\S]*EGL_PLATFORM=surfaceless/);
      p.dvctsEnv({ EGL_PLATFORM: 'surfaceless' }, 'repro', '-f').expectOk();
      const report = JSON.parse(p.read('train.json'));
      expect(report.backend).toMatchObject({ name: 'webgpu', tfjs: 'webgpu', device: expect.stringMatching(/llvmpipe.*software rasterizer/) });
      expect(report.val.accuracy).toBe(1);
    } finally {
      p.cleanup();
    }
  });
});

describe('dvcts doctor', () => {
  it('names the versions and, for every backend, whether auto or a forced stage can use it and why not', () => {
    const p = TempProject.init();
    try {
      const r = JSON.parse(p.dvcts('doctor', '--json').expectOk().stdout);
      const pkg = (name: string): string => JSON.parse(readFileSync(fileURLToPath(new URL(`../../node_modules/${name}/package.json`, import.meta.url)), 'utf8')).version;
      expect(r).toMatchObject({ node: process.version, tfjs: pkg('@tensorflow/tfjs'), sharp: { sharp: pkg('sharp'), libvips: sharp.versions.vips }, auto: 'wasm' });
      expect(r.backends.map((b: any) => b.backend)).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
      const by = Object.fromEntries(r.backends.map((b: any) => [b.backend, b]));
      expect(by['tfjs-node'].detail).toMatch(/not installed/);
      expect(by.webgpu.auto).toBe(false);
      expect([by.wasm.auto, by.cpu.forced]).toEqual([true, true]);
      const text = p.dvcts('doctor').expectOk().stdout;
      expect(text).toContain('backend: auto picks wasm here.');
    } finally {
      p.cleanup();
    }
  });
});
