import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashBytesSync, hashFile } from '../cache/hash.js';
import { OBJECT_MODE, type ObjectStore } from '../cache/object-store.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { tempPathBeside } from '../util/atomic-write.js';
import { trackTemp, untrackTemp } from '../util/tracked-temps.js';
import type { ByteCounter, RemoteBackend } from './backend.js';
import { keyOf } from './keys.js';

// Fan-out folders known to exist, per store: 10k small objects need not each ask for their folder.
const knownDirs = new WeakMap<ObjectStore, Set<string>>();

/** Objects up to this size are fetched into memory and written with one call. */
const IN_MEMORY_LIMIT = 1024 * 1024;

export type Received = { readonly state: 'stored' } | { readonly state: 'missing' } | { readonly state: 'corrupt'; readonly actual: string };

/** The id the bytes actually have: the content hash, plus ".dir" for a manifest. */
function idOf(digest: string, expected: ObjectId): string {
  return isDirId(expected) ? `${digest}.dir` : digest;
}

/**
 * Reads an object from the remote and checks that its bytes hash to `id`, without storing it
 * (manifests are parsed before the files they list are fetched, and stored after them).
 */
export async function readVerified(backend: RemoteBackend, id: ObjectId): Promise<{ readonly state: 'read'; readonly bytes: Uint8Array } | Exclude<Received, { state: 'stored' }>> {
  const bytes = await backend.read(keyOf('objects', id));
  if (bytes === undefined) return { state: 'missing' };
  const actual = idOf(hashBytesSync(bytes), id);
  return actual === id ? { state: 'read', bytes } : { state: 'corrupt', actual };
}

/**
 * Fetches one object into the local store. The bytes land in a temp file beside the object's
 * final path, are re-hashed, and only a file whose hash equals `id` is renamed into place
 * (read-only); anything else is deleted. An interrupted fetch leaves at most a tracked temp file.
 */
export async function receiveObject(backend: RemoteBackend, store: ObjectStore, id: ObjectId, size: number | undefined, onBytes?: ByteCounter): Promise<Received> {
  const dest = store.pathOf(id);
  const dir = dirname(dest);
  const known = knownDirs.get(store) ?? knownDirs.set(store, new Set()).get(store)!;
  if (!known.has(dir)) {
    mkdirSync(dir, { recursive: true });
    known.add(dir);
  }
  const tmp = tempPathBeside(dest);
  trackTemp(tmp);
  let stored = false;
  try {
    if (size !== undefined && size <= IN_MEMORY_LIMIT) {
      const read = await readVerified(backend, id);
      if (read.state !== 'read') return read;
      writeFileSync(tmp, read.bytes, { mode: OBJECT_MODE, flag: 'wx' });
      onBytes?.(read.bytes.length);
    } else {
      if (!(await backend.download(keyOf('objects', id), tmp, onBytes))) return { state: 'missing' };
      const actual = idOf((await hashFile(tmp)).id, id);
      if (actual !== id) return { state: 'corrupt', actual };
      chmodSync(tmp, OBJECT_MODE);
    }
    renameSync(tmp, dest);
    stored = true;
    return { state: 'stored' };
  } finally {
    if (!stored) rmSync(tmp, { force: true });
    untrackTemp(tmp);
  }
}
