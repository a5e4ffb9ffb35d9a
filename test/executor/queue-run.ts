import { spawn } from 'node:child_process';
import { CLI, type TempProject } from '../helpers/project.js';
import type { Cluster } from './cluster.js';

/** Starts `repro --executor queue` (and returns the process, to kill it). */
export function startQueueRepro(p: TempProject, cluster: Cluster, ...args: string[]) {
  const child = spawn(process.execPath, [CLI, 'repro', '--executor', 'queue', '--queue', cluster.redis.url, ...args], {
    cwd: p.root,
    env: { ...process.env, NO_COLOR: '1', ...cluster.env() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => child.on('close', (code) => resolve({ code, stderr })));
  return { child, done, stderr: () => stderr };
}
