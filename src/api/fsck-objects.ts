import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { hashBytes, hashFile, type ManifestEntry } from '../cache/index.js';
import { parseManifest } from '../cache/manifest.js';
import { isDvctsError } from '../core/errors.js';
import { isObjectId, type ObjectId } from '../core/ids.js';

/** Why a stored object cannot be trusted. */
export type Defect =
  /** Its size differs from the size a pointer, lock file or manifest records for it. */
  | { readonly kind: 'size'; readonly expectedSize: number; readonly actualSize: number }
  /** Its bytes do not hash to its id (same size, different content, or an unrecorded size). */
  | { readonly kind: 'content'; readonly actualId: string; readonly actualSize: number }
  /** A folder manifest whose bytes hash right but do not parse (cannot happen unless written by hand). */
  | { readonly kind: 'manifest'; readonly reason: string };

export type Verdict = { readonly ok: true; readonly size: number } | { readonly ok: false; readonly defect: Defect } | 'absent';

export interface StoredObjects {
  readonly ids: ObjectId[];
  /** `.tmp-*` files left by writes that were interrupted (killed): never objects, harmless. */
  readonly tempFiles: string[];
}

/** Every object file of the store (`ab/cdef…`), sorted, and the temp files beside them. */
export async function listStoredObjects(objectsDir: string): Promise<StoredObjects> {
  const ids: ObjectId[] = [];
  const tempFiles: string[] = [];
  for (const prefix of (await readdirIfExists(objectsDir)).sort()) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    for (const name of (await readdirIfExists(join(objectsDir, prefix))).sort()) {
      const id = prefix + name;
      if (isObjectId(id)) ids.push(id);
      else if (name.startsWith('.tmp-')) tempFiles.push(join(objectsDir, prefix, name));
    }
  }
  return { ids, tempFiles };
}

/**
 * Re-hashes one file object, never trusting the state cache. A recorded size that differs is
 * reported without reading the bytes (the cheap, certain case); otherwise the bytes are hashed.
 */
export async function verifyFileObject(path: string, id: ObjectId, expectedSize: number | undefined): Promise<Verdict> {
  const size = await sizeIfExists(path);
  if (size === undefined) return 'absent';
  if (expectedSize !== undefined && size !== expectedSize) return { ok: false, defect: { kind: 'size', expectedSize, actualSize: size } };
  const digest = await hashFile(path, size).catch(absentOnEnoent);
  if (digest === undefined) return 'absent';
  if (digest.id !== id) return { ok: false, defect: { kind: 'content', actualId: digest.id, actualSize: digest.size } };
  return { ok: true, size };
}

/** Verifies a folder manifest object: its bytes hash to its id and parse. Entries are given when it is sound. */
export async function verifyManifestObject(
  path: string,
  id: ObjectId,
  expectedSize: number | undefined,
): Promise<{ verdict: Verdict; entries?: ManifestEntry[] }> {
  const bytes = await readFile(path).catch(absentOnEnoent);
  if (bytes === undefined) return { verdict: 'absent' };
  const actualId = `${await hashBytes(bytes)}.dir`;
  if (actualId !== id) return { verdict: { ok: false, defect: { kind: 'content', actualId, actualSize: bytes.length } } };
  let entries: ManifestEntry[];
  try {
    entries = parseManifest(bytes.toString('utf8'), id, path);
  } catch (e) {
    if (!isDvctsError(e)) throw e;
    return { verdict: { ok: false, defect: { kind: 'manifest', reason: e.message } } };
  }
  // A pointer's size of a folder is the sum of its files: a manifest that lists other sizes is not the one recorded.
  const total = entries.reduce((sum, e) => sum + e.size, 0);
  if (expectedSize !== undefined && total !== expectedSize) {
    return { verdict: { ok: false, defect: { kind: 'size', expectedSize, actualSize: total } } };
  }
  return { verdict: { ok: true, size: bytes.length }, entries };
}

/** Hashes a workspace file directly (no state cache): is it a good copy of `id`? */
export async function holdsContent(absPath: string, id: ObjectId): Promise<boolean> {
  try {
    const info = await stat(absPath);
    if (!info.isFile()) return false;
    return (await hashFile(absPath, info.size)).id === id;
  } catch {
    return false; // absent, unreadable or vanished: not a usable copy
  }
}

async function sizeIfExists(path: string): Promise<number | undefined> {
  return (await stat(path).catch(absentOnEnoent))?.size;
}

async function readdirIfExists(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(absentOnEnoent)) ?? [];
}

/** gc may remove an unreferenced object while fsck runs: a vanished file is absent, not an error. */
function absentOnEnoent(e: unknown): undefined {
  if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw e;
}
