import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { CLI } from '../helpers/project.js';

/** A small deterministic PRNG (mulberry32): the same seed gives the same kill moments on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` delays spread over [0, durationMs]: one per equal slice, at a random point inside it
 * (stratified), so kills land early, mid-way and late in the command without clustering.
 */
export function killDelays(count: number, durationMs: number, random: () => number): number[] {
  return Array.from({ length: count }, (_, i) => Math.round(((i + random()) / count) * durationMs));
}

/** Runs the CLI to completion and returns its wall time; throws with its output if it fails. */
export function runToEnd(cwd: string, args: readonly string[]): number {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`dvcts ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return Date.now() - started;
}

/**
 * Starts the CLI in its own process group and SIGKILLs the whole group after `delayMs` (a stage's
 * shell command would otherwise outlive dvcts and keep writing). Resolves to true when the kill
 * landed while dvcts was still running, false when it had already finished.
 */
export function runAndKill(cwd: string, args: readonly string[], delayMs: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let killed = false;
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
        killed = true;
      } catch {
        // the group is already gone: the command finished first
      }
    }, delayMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') return resolve(true);
      if (code !== 0) return reject(new Error(`dvcts ${args.join(' ')} exited ${code} before it was killed:\n${stderr}`));
      resolve(killed && signal !== null);
    });
  });
}

/**
 * Temp files of atomic writes (`.tmp-<name>.<pid>.<hex>`): a killed process leaves them beside
 * their target. They are litter, never data: no reader takes them for the file they replace.
 */
export const TEMP_FILE_RE = /^\.tmp-.+\.\d+\.[0-9a-f]{8}$/;

/**
 * Every file below `rel` (or `rel` itself) with the SHA-256 of its bytes, by project-relative
 * path; temp files of killed writes are listed apart, as `litter`.
 */
export function contentDigests(root: string, rels: readonly string[]): { digests: Record<string, string>; litter: string[] } {
  const out: Record<string, string> = {};
  const litter: string[] = [];
  const visit = (rel: string): void => {
    const abs = join(root, rel);
    if (TEMP_FILE_RE.test(basename(rel))) {
      litter.push(rel);
    } else if (!existsSync(abs)) {
      out[rel] = 'absent';
    } else if (statSync(abs).isDirectory()) {
      for (const name of readdirSync(abs).sort()) visit(`${rel}/${name}`);
    } else {
      out[rel] = createHash('sha256').update(readFileSync(abs)).digest('hex');
    }
  };
  for (const rel of rels) visit(rel);
  return { digests: out, litter };
}
