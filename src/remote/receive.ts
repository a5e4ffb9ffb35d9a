import { chmodSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { hashBytesSync, hashFile } from '../cache/hash.js';
import { OBJECT_MODE, type ObjectStore } from '../cache/object-store.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { tempPathBeside } from '../util/atomic-write.js';
import { trackTemp, untrackTemp } from '../util/tracked-temps.js';
import type { ByteCounter, RemoteBackend } from './backend.js';
import { keyOf } from './keys.js';

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
 * Fetches one object into the local store; only bytes that hash to `id` are stored. A small one
 * is read into memory, checked, and written as the store writes any small object; a large one
 * lands in a temp file beside its final path, is re-hashed, and is renamed into place (read-only)
 * or deleted. An interrupted fetch leaves at most a tracked temp file.
 */
export async function receiveObject(backend: RemoteBackend, store: ObjectStore, id: ObjectId, size: number | undefined, onBytes?: ByteCounter): Promise<Received> {
  if (size !== undefined && size <= IN_MEMORY_LIMIT) {
    const read = await readVerified(backend, id);
    if (read.state !== 'read') return read;
    // Verified bytes take the store's own small-object path (temp file, rename; synchronous).
    store.putSmallSync(id, read.bytes);
    onBytes?.(read.bytes.length);
    return { state: 'stored' };
  }
  const dest = store.pathOf(id);
  mkdirSync(dirname(dest), { recursive: true });
  const tmp = tempPathBeside(dest);
  trackTemp(tmp);
  let stored = false;
  try {
    if (!(await backend.download(keyOf('objects', id), tmp, onBytes))) return { state: 'missing' };
    const actual = idOf((await hashFile(tmp)).id, id);
    if (actual !== id) return { state: 'corrupt', actual };
    chmodSync(tmp, OBJECT_MODE);
    renameSync(tmp, dest);
    stored = true;
    return { state: 'stored' };
  } finally {
    if (!stored) rmSync(tmp, { force: true });
    untrackTemp(tmp);
  }
}
