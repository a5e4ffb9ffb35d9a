import { createRequire } from 'node:module';
import { nvidiaGpus } from './system.js';
import type { Tf } from './tf.js';

/**
 * @tensorflow/tfjs-node-gpu (libtensorflow with CUDA) and @tensorflow/tfjs-node (libtensorflow on
 * the CPU). Both are optionalDependencies: their install script downloads libtensorflow, and
 * where that fails `npm install` still succeeds without them. Both register tfjs's backend
 * "tensorflow"; only one of them can be loaded into a process.
 */
export type NativePackage = '@tensorflow/tfjs-node-gpu' | '@tensorflow/tfjs-node';

export type NativeOutcome = { readonly ok: true; readonly device: string } | { readonly ok: false; readonly reason: string; readonly hint?: string };

/** Whether the package can be resolved at all (no native code is loaded). */
export function isInstalled(pkg: NativePackage): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

export function notInstalledReason(pkg: NativePackage): { reason: string; hint: string } {
  return {
    reason: `${pkg} is not installed (an optional dependency: its install downloads libtensorflow${pkg.endsWith('gpu') ? ' for CUDA' : ''}, which failed or was skipped here)`,
    hint: `npm install ${pkg} on a machine that can download libtensorflow (see README, "GPU")`,
  };
}

/** Whether auto should try tfjs-node-gpu at all: installed, and a CUDA GPU on this machine. */
export function nodeGpuPrecondition(): { ok: true } | { ok: false; reason: string; hint?: string } {
  if (!isInstalled('@tensorflow/tfjs-node-gpu')) return { ok: false, ...notInstalledReason('@tensorflow/tfjs-node-gpu') };
  if (process.platform === 'linux' && nvidiaGpus().length === 0) {
    return { ok: false, reason: 'no NVIDIA GPU (the driver lists none under /proc/driver/nvidia/gpus)', hint: 'install the NVIDIA driver and CUDA' };
  }
  return { ok: true };
}

/** Loads the package and switches tfjs to its "tensorflow" backend, checking that it really runs. */
export async function activateNative(tf: Tf, pkg: NativePackage): Promise<NativeOutcome> {
  if (!isInstalled(pkg)) return { ok: false, ...notInstalledReason(pkg) };
  try {
    await import(pkg);
  } catch (e) {
    return { ok: false, reason: `${pkg} is installed but does not load: ${(e instanceof Error ? e.message : String(e)).split('\n')[0]}` };
  }
  const ok = (await tf.setBackend('tensorflow')) && tf.getBackend() === 'tensorflow';
  if (!ok) return { ok: false, reason: `${pkg} loaded but tfjs could not initialise its "tensorflow" backend` };
  const gpus = nvidiaGpus();
  return { ok: true, device: pkg.endsWith('gpu') ? `libtensorflow with CUDA (${gpus.length} NVIDIA GPU(s))` : 'libtensorflow (CPU)' };
}
