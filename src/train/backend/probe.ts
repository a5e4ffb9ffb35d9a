import { activateBackend } from './choose.js';
import { BACKENDS, type BackendName } from './names.js';
import { findSharedLibrary, nvidiaGpus } from './system.js';
import { loadTf } from './tf.js';
import { activateWebgpu, findAdapter } from './webgpu.js';

/** What `dvcts doctor` says about one backend. */
export interface BackendProbe {
  readonly backend: BackendName;
  /** `auto` may pick it (it works and is not a software rasterizer). */
  readonly auto: boolean;
  /** `backend: NAME` works. */
  readonly forced: boolean;
  readonly detail: string;
}

export interface MachineFacts {
  readonly tfjs: string;
  readonly nvidiaGpus: readonly string[];
  readonly vulkanLoader: string | null;
  readonly backends: readonly BackendProbe[];
  /** The backend `auto` picks here. */
  readonly auto: BackendName;
}

/**
 * Tries every backend in turn, as a stage would force it, and runs one small computation on it.
 * WebGPU is asked twice: for a hardware adapter (what `auto` takes) and, failing that, for a
 * software one (what a forced `backend: webgpu` gets). Doctor runs in the main thread, so it may
 * set EGL_PLATFORM=surfaceless for Mesa itself; a stage's worker thread cannot.
 */
export async function probeBackends(): Promise<MachineFacts> {
  const tf = await loadTf();
  const probes: BackendProbe[] = [];
  for (const backend of BACKENDS) {
    if (backend === 'webgpu') {
      probes.push(await probeWebgpu());
      continue;
    }
    try {
      const active = await activateBackend(backend);
      const sum = (await active.tf.add(active.tf.scalar(2), active.tf.scalar(3)).data())[0];
      probes.push({ backend, auto: sum === 5, forced: sum === 5, detail: sum === 5 ? active.device : `computed 2 + 3 = ${sum}` });
    } catch (e) {
      probes.push({ backend, auto: false, forced: false, detail: (e as { data?: { reason?: string } }).data?.reason ?? (e as Error).message });
    }
  }
  return {
    tfjs: tf.version.tfjs,
    nvidiaGpus: nvidiaGpus(),
    vulkanLoader: process.platform === 'linux' ? (findSharedLibrary('libvulkan.so.1') ?? null) : null,
    backends: probes,
    auto: probes.find((p) => p.auto)!.backend,
  };
}

async function probeWebgpu(): Promise<BackendProbe> {
  const hardware = await findAdapter({ allowSoftware: false });
  if ('found' in hardware) return { backend: 'webgpu', auto: true, forced: true, detail: hardware.found.description };
  const userSetEgl = process.env.EGL_PLATFORM !== undefined;
  process.env.EGL_PLATFORM ??= 'surfaceless';
  const software = await findAdapter({ allowSoftware: true });
  if (!('found' in software)) return { backend: 'webgpu', auto: false, forced: false, detail: `${hardware.reason}; no software adapter either` };
  const tf = await loadTf();
  const works = (await activateWebgpu(tf, software.found)) && (await tf.add(tf.scalar(2), tf.scalar(3)).data())[0] === 5;
  const how = userSetEgl ? '' : ' (stages need EGL_PLATFORM=surfaceless in the environment)';
  return {
    backend: 'webgpu',
    auto: false,
    forced: works,
    detail: `${hardware.reason}; forced \`backend: webgpu\` ${works ? 'runs' : 'fails'} on the software adapter ${software.found.description}, ~10× slower than wasm${how}`,
  };
}
