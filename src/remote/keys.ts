import { isObjectId, type ObjectId } from '../core/ids.js';

/**
 * Where things live on a remote, below its folder or key prefix. The layout mirrors the local
 * cache, so a local-directory remote is itself a browsable cache:
 *   objects/ab/cdef…        content objects (manifests keep their ".dir" suffix)
 *   runs/ab/cdef…           run-cache entries, by stage fingerprint
 */
export type Area = 'objects' | 'runs';

export const FINGERPRINT_RE = /^[0-9a-f]{32}$/;

export function keyOf(area: Area, name: string): string {
  return `${area}/${name.slice(0, 2)}/${name.slice(2)}`;
}

export function fanoutPrefix(area: Area, name: string): string {
  return `${area}/${name.slice(0, 2)}/`;
}

/** The object id or fingerprint a key names, or undefined for anything else (temp files, strays). */
export function nameOfKey(area: Area, key: string): string | undefined {
  const m = /^([a-z]+)\/([0-9a-f]{2})\/([^/]+)$/.exec(key);
  if (m === null || m[1] !== area) return undefined;
  const name = m[2]! + m[3]!;
  return (area === 'objects' ? isObjectId(name) : FINGERPRINT_RE.test(name)) ? name : undefined;
}

export function objectIdOfKey(key: string): ObjectId | undefined {
  return nameOfKey('objects', key) as ObjectId | undefined;
}
