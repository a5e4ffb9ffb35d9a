import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ItemCache } from '../stages/types.js';

/**
 * Per-item memo under `.dvcts/cache/items/<namespace>/ab/cdef…`. The key is the caller's
 * (item id + config); we hash it for the file name. Writes are temp-file + rename, so a reader
 * sees a whole value or none, and two processes writing the same key write the same bytes.
 */
export class FileItemCache implements ItemCache {
  constructor(private readonly dir: string) {}

  private pathOf(namespace: string, key: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(namespace)) throw new Error(`bad item-cache namespace ${namespace}`);
    const h = createHash('sha256').update(key).digest('hex');
    return join(this.dir, namespace, h.slice(0, 2), h.slice(2));
  }

  async get(namespace: string, key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.pathOf(namespace, key));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async put(namespace: string, key: string, value: Buffer): Promise<void> {
    const path = this.pathOf(namespace, key);
    await mkdir(dirname(path), { recursive: true });
    const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(tmp, value);
    await rename(tmp, path);
  }
}

export function openItemCache(cacheDir: string): ItemCache {
  return new FileItemCache(join(cacheDir, 'items'));
}
