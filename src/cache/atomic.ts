import { randomBytes } from 'node:crypto';
import { chmod, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A unique temporary name in the same folder as `path`: same filesystem, so the final rename is
 * atomic. The name starts with ".tmp-" so that `gc`/`fsck` can recognise and sweep leftovers of
 * a killed process, and it can never be mistaken for an object (ids are hex only).
 */
export function tempPathBeside(path: string): string {
  return join(dirname(path), `.tmp-${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
}

/** Writes `path` so that readers see the old content or the new, never half of it. */
export async function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number): Promise<void> {
  await replaceAtomic(path, async (tmp) => {
    await writeFile(tmp, data);
    if (mode !== undefined) await chmod(tmp, mode);
  });
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
