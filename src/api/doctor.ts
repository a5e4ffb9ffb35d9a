import { createRequire } from 'node:module';
import { arch, cpus, platform, release } from 'node:os';
import type { MachineFacts } from '../train/backend/probe.js';

export interface DoctorReport extends MachineFacts {
  readonly dvcts: string;
  readonly node: string;
  readonly os: string;
  readonly glibc: string | null;
  readonly cpus: number;
  readonly sharp: { readonly sharp: string; readonly libvips: string } | { readonly error: string };
}

/**
 * `dvcts doctor`: what this machine can run. Versions of node, dvcts, tfjs, sharp and libvips;
 * NVIDIA GPUs and the Vulkan loader; and every tfjs backend tried for real, with why it cannot
 * run here. Loads tfjs, Dawn and sharp: it is the one command that does.
 */
export async function doctor(): Promise<DoctorReport> {
  const require = createRequire(import.meta.url);
  const { version } = require('../../package.json') as { version: string };
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  let sharpInfo: DoctorReport['sharp'];
  try {
    const sharp = (await import('sharp')).default;
    sharpInfo = { sharp: sharp.versions.sharp ?? 'unknown', libvips: sharp.versions.vips };
  } catch (e) {
    sharpInfo = { error: (e as Error).message.split('\n')[0] ?? 'does not load' };
  }
  const { probeBackends } = await import('../train/backend/probe.js');
  return {
    dvcts: version,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    glibc: header?.glibcVersionRuntime ?? null,
    cpus: cpus().length,
    sharp: sharpInfo,
    ...(await probeBackends()),
  };
}
