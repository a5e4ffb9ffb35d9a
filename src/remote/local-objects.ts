import { statSync } from 'node:fs';
import { parseManifest, type ManifestEntry } from '../cache/manifest.js';
import type { ObjectStore } from '../cache/object-store.js';
import type { ObjectId } from '../core/ids.js';

/** A stored object's size, or undefined when the local cache lacks it (a plain stat: many are asked). */
export function localSize(store: ObjectStore, id: ObjectId): number | undefined {
  return statSync(store.pathOf(id), { throwIfNoEntry: false })?.size;
}

export async function readLocalManifest(store: ObjectStore, id: ObjectId): Promise<ManifestEntry[]> {
  return parseManifest(await store.readManifestText(id, store.pathOf(id)), id, store.pathOf(id));
}
