import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cache, PathInfo } from '../cache/index.js';

// Files hashed at once; unchanged files cost one stat thanks to the state cache.
const HASH_PARALLELISM = 16;

/**
 * Every regular file below a workspace folder with its content id, by posix path relative to the
 * folder. Used when the folder as a whole is unknown to the cache (a changed folder has no
 * manifest yet) and what matters is each file: is it new, changed, already stored?
 */
export async function hashFolderFiles(cache: Cache, absDir: string): Promise<Map<string, PathInfo>> {
  const files = await listFiles(absDir);
  const hashed = new Map<string, PathInfo>();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const rel = files[next++]!;
      const info = await cache.hashPath(join(absDir, rel));
      if (info !== undefined) hashed.set(rel, info);
    }
  };
  await Promise.all(Array.from({ length: HASH_PARALLELISM }, worker));
  return new Map([...hashed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    for (const d of await readdir(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) pending.push(path);
      else if (d.isFile() || d.isSymbolicLink()) found.push(path);
    }
  }
  return found;
}
