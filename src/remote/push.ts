import { mapLimit } from '../cache/concurrency.js';
import type { ManifestEntry } from '../cache/manifest.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { uniqueRefs, type ObjectRef, type TransferContext } from './context.js';
import { keyOf } from './keys.js';
import { localSize, readLocalManifest } from './local-objects.js';
import { presentOnRemote } from './presence.js';

export interface PushResult {
  /** Objects sent now (files and manifests) and their bytes. */
  readonly pushed: number;
  readonly bytes: number;
  /** Objects the remote already had. */
  readonly present: number;
  /** Objects (or folder manifests) the local cache does not hold: nothing could be sent for them. */
  readonly missingLocally: readonly ObjectId[];
  /** The refs (as given) that are not complete on the remote after this push. */
  readonly incomplete: readonly ObjectId[];
}

/**
 * Sends the objects (folders: every file, then the manifest) that the remote lacks. The remote
 * is asked in batches what it has, files go `jobs` at a time, and a folder's manifest is sent
 * only after all its files are there: on the remote too, a manifest promises its files.
 */
export async function pushObjects(ctx: TransferContext, refs: Iterable<ObjectRef | ObjectId>): Promise<PushResult> {
  const { store, backend } = ctx;
  await backend.prepareWrite();
  const files = new Map<ObjectId, number>();
  const manifests = new Map<ObjectId, { size: number; entries: ManifestEntry[] }>();
  const missing = new Set<ObjectId>();
  const unique = uniqueRefs(refs);
  for (const { id } of unique.values()) {
    const size = localSize(store, id);
    if (size === undefined) missing.add(id);
    else if (!isDirId(id)) files.set(id, size);
    else manifests.set(id, { size, entries: await readLocalManifest(store, id) });
  }
  // A manifest on the remote promises its files there: a folder pushed before costs one check.
  const presentManifests = await presentOnRemote(backend, 'objects', manifests.keys(), ctx.jobs);
  const assumed = new Set<ObjectId>();
  for (const [id, { entries }] of manifests) if (presentManifests.has(id)) for (const e of entries) assumed.add(e.id);
  for (const { entries } of manifests.values()) {
    for (const e of entries) {
      if (files.has(e.id) || missing.has(e.id) || assumed.has(e.id)) continue;
      const size = localSize(store, e.id);
      if (size === undefined) missing.add(e.id);
      else files.set(e.id, size);
    }
  }
  const presentFiles = await presentOnRemote(backend, 'objects', [...files.keys()].filter((id) => !assumed.has(id)), ctx.jobs);
  const present = new Set([...presentManifests, ...presentFiles, ...assumed]);
  const toSend = [...files].filter(([id]) => !present.has(id));
  const manifestsToSend = [...manifests].filter(([id, m]) => !present.has(id) && m.entries.every((e) => !missing.has(e.id)));
  ctx.observer?.planned?.(toSend.length + manifestsToSend.length, [...toSend, ...manifestsToSend.map(([id, m]) => [id, m.size] as const)].reduce((n, [, size]) => n + size, 0));

  let bytes = 0;
  const send = async ([id, size]: readonly [ObjectId, number]): Promise<void> => {
    await backend.upload(keyOf('objects', id), store.pathOf(id), size, (n) => ctx.observer?.moved?.(0, n));
    ctx.observer?.moved?.(1, 0);
    bytes += size;
  };
  await mapLimit(toSend, ctx.jobs, send);
  await mapLimit(manifestsToSend.map(([id, m]) => [id, m.size] as const), ctx.jobs, send);
  const incomplete = [...unique.keys()].filter((id) => missing.has(id) || (manifests.get(id)?.entries.some((e) => missing.has(e.id)) ?? false));
  return { pushed: toSend.length + manifestsToSend.length, bytes, present: present.size, missingLocally: [...missing], incomplete };
}
