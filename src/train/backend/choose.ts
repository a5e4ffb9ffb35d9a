import { DvctsError } from '../../core/errors.js';
import { activateNative, nodeGpuPrecondition } from './native.js';
import { BACKENDS, type BackendChoice, type BackendName } from './names.js';
import { loadTf, type Tf } from './tf.js';
import { registerWasmConv2dFilterGradient } from './wasm-kernels.js';
import { activateWebgpu, findAdapter } from './webgpu.js';

/** Why a backend was or was not used: recorded in the metrics, printed by `dvcts doctor`. */
export interface BackendAttempt {
  readonly backend: BackendName;
  readonly used: boolean;
  readonly reason: string;
}

export interface ActiveBackend {
  readonly tf: Tf;
  readonly name: BackendName;
  /** tf.getBackend() once running: what tfjs really runs on. */
  readonly tfBackend: string;
  readonly device: string;
  /** Every backend tried, in order, the last one being the one used. */
  readonly attempts: readonly BackendAttempt[];
}

type Try = { ok: true; device: string } | { ok: false; reason: string; hint?: string };

/**
 * Switches tfjs to the requested backend, or for `auto` to the first that works in BACKENDS
 * order. tfjs falls back silently when a backend fails to initialise, so every success is
 * checked with tf.getBackend(): a backend that is not the one running is never reported.
 * A forced backend that cannot run is E_BACKEND_UNAVAILABLE, with the reason and a hint.
 */
export async function activateBackend(choice: BackendChoice): Promise<ActiveBackend> {
  const tf = await loadTf();
  const order = choice === 'auto' ? BACKENDS : [choice];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    const outcome = await tryBackend(tf, name, choice === 'auto');
    if (outcome.ok) {
      attempts.push({ backend: name, used: true, reason: outcome.device });
      return { tf, name, tfBackend: tf.getBackend(), device: outcome.device, attempts };
    }
    attempts.push({ backend: name, used: false, reason: outcome.reason });
    if (choice !== 'auto') {
      throw new DvctsError('E_BACKEND_UNAVAILABLE', `backend ${name} is not available here: ${outcome.reason}`, {
        data: { backend: name, reason: outcome.reason },
        hint: outcome.hint ?? '`dvcts doctor` lists the backends that work here; `backend: auto` picks the best of them',
      });
    }
  }
  throw new Error('the cpu backend failed to start'); // unreachable: cpu always works
}

async function tryBackend(tf: Tf, name: BackendName, auto: boolean): Promise<Try> {
  switch (name) {
    case 'tfjs-node-gpu': {
      const pre = nodeGpuPrecondition();
      return pre.ok ? activateNative(tf, '@tensorflow/tfjs-node-gpu') : pre;
    }
    case 'tfjs-node':
      // Both native packages register "tensorflow": once one is loaded, the other cannot be.
      if (tf.findBackend('tensorflow') !== null) return { ok: false, reason: 'tfjs-node-gpu already took the "tensorflow" backend' };
      return activateNative(tf, '@tensorflow/tfjs-node');
    case 'webgpu': {
      const search = await findAdapter({ allowSoftware: !auto });
      if (!('found' in search)) return { ok: false, ...search };
      const ok = await activateWebgpu(tf, search.found);
      return ok
        ? { ok: true, device: `${search.found.description}${search.found.software ? ', a software rasterizer' : ''}` }
        : { ok: false, reason: `tfjs could not initialise WebGPU on ${search.found.description}` };
    }
    case 'wasm': {
      await import('@tensorflow/tfjs-backend-wasm');
      registerWasmConv2dFilterGradient(tf);
      if (!((await tf.setBackend('wasm')) && tf.getBackend() === 'wasm')) return { ok: false, reason: 'tfjs could not initialise its WebAssembly backend' };
      const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      return { ok: true, device: `CPU, WebAssembly${simd ? ' with SIMD' : ''}, ${threads ? 'multi-threaded' : '1 thread'}` };
    }
    case 'cpu':
      return (await tf.setBackend('cpu')) && tf.getBackend() === 'cpu'
        ? { ok: true, device: 'CPU, plain JavaScript' }
        : { ok: false, reason: 'tfjs could not start its cpu backend' };
  }
}

