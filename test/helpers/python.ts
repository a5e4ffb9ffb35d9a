import { spawnSync } from 'node:child_process';

/**
 * Runs a Python snippet with Debian's python3 (which has python3-sklearn: an independent oracle
 * for metrics and features) and returns what it prints as JSON. `input` arrives as JSON on stdin.
 */
export function python<T>(script: string, input: unknown): T {
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`python3 failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}
