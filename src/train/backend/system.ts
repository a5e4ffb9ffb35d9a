import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Facts about the machine that decide which accelerated backends can work, found without
 * loading any native library (loading one that cannot work prints noise or crashes).
 */

/** NVIDIA GPUs the kernel driver exposes (Linux: /proc/driver/nvidia/gpus/<bus id>). */
export function nvidiaGpus(): string[] {
  try {
    return readdirSync('/proc/driver/nvidia/gpus');
  } catch {
    return [];
  }
}

const LIB_DIRS = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/lib/x86_64-linux-gnu', '/lib64', '/lib', '/usr/local/lib'];

/**
 * Where the dynamic linker would find `name` (e.g. libvulkan.so.1): LD_LIBRARY_PATH, the
 * ldconfig cache, then the usual folders. Undefined when it is nowhere.
 */
export function findSharedLibrary(name: string): string | undefined {
  const fromEnv = (process.env.LD_LIBRARY_PATH ?? '').split(':').filter((d) => d !== '');
  for (const dir of fromEnv) if (existsSync(join(dir, name))) return join(dir, name);
  try {
    const cache = execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
    const line = cache.split('\n').find((l) => l.trim().startsWith(`${name} `));
    const path = line?.split('=>')[1]?.trim();
    if (path) return path;
  } catch {
    // no ldconfig (musl, macOS): fall back to the usual folders
  }
  return LIB_DIRS.map((d) => join(d, name)).find((p) => existsSync(p));
}
