import { join, resolve } from 'node:path';
import { ContentCache } from './content-cache.js';
import { DEFAULT_LINK_TYPES, Linker } from './links.js';
import { ObjectStore } from './object-store.js';
import { DirStamps } from './dir-stamps.js';
import { StoredRuns } from './stored-runs.js';
import { lazyStateCache } from './state.js';
import { VerifiedObjects } from './verified-objects.js';
import type { Cache, CacheOptions } from './types.js';

/**
 * The cache engine: content ids (two seeded XXH64 lanes = 128 bits), directory manifests, a
 * persistent state cache, an atomic read-only object store and a link chain for checkout.
 * Everything else in dvcts goes through `openCache`.
 */
export type { Cache, CacheOptions, LinkType, ManifestEntry, PathInfo } from './types.js';
export type { CacheActivity, CachePhase } from './activity.js';
export { CACHE_ERRORS } from './errors.js';
export { DEFAULT_LINK_TYPES, LINK_TYPES, unprotect } from './links.js';
export { hashBytes, hashFile } from './hash.js';
export { serializeManifest, manifestId } from './manifest.js';

/** `<root>/.dvcts/cache` */
export function cacheDirOf(root: string): string {
  return join(root, '.dvcts', 'cache');
}

/** `<root>/.dvcts/tmp/state`: the state cache is disposable, so it lives with other scratch. */
export function stateDirOf(root: string): string {
  return join(root, '.dvcts', 'tmp', 'state');
}

export async function openCache(opts: CacheOptions): Promise<Cache> {
  const root = resolve(opts.root);
  const store = new ObjectStore(join(opts.cacheDir ?? cacheDirOf(root), 'objects'), new VerifiedObjects(join(root, '.dvcts', 'tmp', 'verified')));
  const state = lazyStateCache(stateDirOf(root));
  const dirStamps = new DirStamps(join(root, '.dvcts', 'tmp', 'dir-stamps'));
  const storedRuns = new StoredRuns(join(root, '.dvcts', 'tmp', 'stored-runs'));
  return new ContentCache(root, store, state, dirStamps, storedRuns, new Linker(opts.linkTypes ?? DEFAULT_LINK_TYPES), opts.activity);
}
