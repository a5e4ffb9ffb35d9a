import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { systemError } from '../core/system-errors.js';

/**
 * Atomic file replacement: write a temp file beside the target (same filesystem), then rename it
 * over. Readers see the old file or the whole new one, even if the writer is killed. Temp names
 * are `.tmp-<name>.<pid>.<hex>`, so leftovers of a killed process can be recognised and swept.
 */
const TEMP_RE = /^\.tmp-.+\.(\d+)\.[0-9a-f]{8}$/;

export function tempPathBeside(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

// Temp names from a counter (started at a random point): randomBytes per file costs more than
// the write of a 1 KiB file, and the pid already keeps two processes apart.
let tempCounter = randomBytes(4).readUInt32LE(0);

/** tempPathBeside for loops over many files: the same name pattern, without randomBytes per file. */
export function sequentialTempPath(path: string): string {
  return join(dirname(path), sequentialTempName(basename(path)));
}

/** The temp name sequentialTempPath gives beside a file called `name` (no path work per file). */
export function sequentialTempName(name: string): string {
  tempCounter = (tempCounter + 1) >>> 0;
  return `.tmp-${name}.${process.pid}.${tempCounter.toString(16).padStart(8, '0')}`;
}

/** Runs `produce(tmp)` to create a temp file beside `path`, then renames it over `path`. */
export async function replaceAtomic(path: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  const tmp = tempPathBeside(path);
  try {
    await produce(tmp);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export interface WriteOptions {
  /** File mode to set before the rename (e.g. 0o444 for cache objects). */
  readonly mode?: number;
  /** fsync before the rename: for records (lock, pointer) that must survive a power cut too. */
  readonly durable?: boolean;
}

/**
 * Writes `data` to `path` atomically, creating the parent folder if needed. A system error
 * (EACCES, ENOSPC, ...) names `path`, the file the user knows, not the temp file.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions | number = {}): Promise<void> {
  const { mode, durable } = typeof opts === 'number' ? { mode: opts, durable: false } : opts;
  try {
    await mkdir(dirname(path), { recursive: true });
    await replaceAtomic(path, async (tmp) => {
      const handle = await open(tmp, 'w');
      try {
        await handle.writeFile(data);
        if (durable) await handle.sync();
      } finally {
        await handle.close();
      }
      if (mode !== undefined) await chmod(tmp, mode);
    });
  } catch (e) {
    throw systemError(e, path, 'write') ?? e;
  }
}

/** Removes temp files in `dir` left by processes that no longer exist; returns how many. */
export async function sweepStaleTemps(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let swept = 0;
  for (const name of names) {
    const pid = TEMP_RE.exec(name)?.[1];
    if (pid === undefined || isAlive(Number(pid))) continue;
    await rm(join(dir, name), { recursive: true, force: true });
    swept++;
  }
  return swept;
}

/** Removes this process's temp files for `base` in `dir` (an interrupted writer of `dir/base`). */
export async function removeOwnTemps(dir: string, base: string): Promise<void> {
  const prefix = `.tmp-${base}.${process.pid}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) if (name.startsWith(prefix)) await rm(join(dir, name), { recursive: true, force: true });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
