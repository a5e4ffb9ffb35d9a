import { mapLimit } from '../cache/concurrency.js';
import type { ManifestEntry } from '../cache/manifest.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { uniqueRefs, type ObjectRef, type TransferContext } from './context.js';
import { localSize, readLocalManifest } from './local-objects.js';
import { parseRemoteManifest } from './manifests.js';
import { readVerified, receiveObject } from './receive.js';

export interface FetchResult {
  /** Objects stored in the local cache now, and their bytes. */
  readonly fetched: number;
  readonly bytes: number;
  /** Objects the local cache already had. */
  readonly present: number;
  /** Objects the remote does not have. */
  readonly missing: readonly ObjectId[];
  /** Objects whose remote bytes do not hash to their id (not stored). */
  readonly corrupt: readonly { id: ObjectId; actual: string }[];
  /** The refs (as given) that are not complete in the local cache after this fetch. */
  readonly incomplete: readonly ObjectId[];
}

/**
 * Brings objects (folders: the manifest, then every file it lists) from the remote into the
 * local cache, each re-hashed before it is stored. Objects already in the cache are not fetched,
 * so an interrupted fetch resumes where it stopped. A folder's manifest is stored last, only once
 * every file it lists is in the cache.
 */
export async function fetchObjects(ctx: TransferContext, refs: Iterable<ObjectRef | ObjectId>): Promise<FetchResult> {
  const { store, backend } = ctx;
  const missing: ObjectId[] = [];
  const corrupt: { id: ObjectId; actual: string }[] = [];
  // Files to fetch (size when known); those the cache holds are counted, not fetched.
  const files = new Map<ObjectId, number | undefined>();
  const seen = new Set<ObjectId>();
  let present = 0;
  const wantFile = (id: ObjectId, size: number | undefined): void => {
    if (seen.has(id)) return;
    seen.add(id);
    if (localSize(store, id) !== undefined) present++;
    else files.set(id, size);
  };

  // Manifests first: the files of a folder are known only from its manifest.
  const dirs: ObjectId[] = [];
  const unique = uniqueRefs(refs);
  for (const ref of unique.values()) {
    if (isDirId(ref.id)) dirs.push(ref.id);
    else wantFile(ref.id, ref.size);
  }
  const toStore: { id: ObjectId; bytes: Uint8Array; entries: ManifestEntry[] }[] = [];
  const entriesOf = new Map<ObjectId, ManifestEntry[]>();
  const listed = await mapLimit(dirs, ctx.jobs, async (id): Promise<ManifestEntry[]> => {
    if (localSize(store, id) !== undefined) {
      present++;
      return readLocalManifest(store, id);
    }
    const read = await readVerified(backend, id);
    if (read.state === 'missing') missing.push(id);
    else if (read.state === 'corrupt') corrupt.push({ id, actual: read.actual });
    else {
      const entries = parseRemoteManifest(ctx, id, read.bytes);
      toStore.push({ id, bytes: read.bytes, entries });
      return entries;
    }
    return [];
  });
  dirs.forEach((id, i) => entriesOf.set(id, listed[i]!));
  for (const entries of listed) for (const e of entries) wantFile(e.id, e.size);

  const toFetch = [...files];
  ctx.observer?.planned?.(toFetch.length + toStore.length, toFetch.reduce((n, [, size]) => n + (size ?? 0), 0));
  let fetched = 0;
  let bytes = 0;
  await mapLimit(toFetch, ctx.jobs, async ([id, size]) => {
    let moved = 0;
    const got = await receiveObject(backend, store, id, size, (n) => {
      moved += n;
      ctx.observer?.moved?.(0, n);
    });
    ctx.observer?.moved?.(1, 0);
    if (got.state === 'missing') missing.push(id);
    else if (got.state === 'corrupt') corrupt.push({ id, actual: got.actual });
    else {
      fetched++;
      bytes += moved;
    }
  });

  const lacking = new Set([...missing, ...corrupt.map((c) => c.id)]);
  for (const m of toStore) {
    if (m.entries.some((e) => lacking.has(e.id))) continue;
    await store.putBytes(m.id, m.bytes);
    ctx.observer?.moved?.(1, m.bytes.length);
    fetched++;
    bytes += m.bytes.length;
  }
  const incomplete = [...unique.keys()].filter((id) => lacking.has(id) || (entriesOf.get(id)?.some((e) => lacking.has(e.id)) ?? false));
  return { fetched, bytes, present, missing, corrupt, incomplete };
}
