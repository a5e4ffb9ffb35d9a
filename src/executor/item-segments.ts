import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ItemCacheDirs } from '../cache/item-cache.js';
import { lockedPath } from '../lockfile/observe.js';
import type { ItemSegment } from './job.js';
import type { RemoteStore, ScratchWorkspace } from './scratch-workspace.js';

/**
 * Per-item work crosses machines as segments. A shard job runs its built-in with a private,
 * empty per-item cache in its workspace; what the built-in memoised there (the memo logs, and
 * the objects big results went to) is then saved as two folder objects and pushed. The stage job
 * fetches every shard's segment and concatenates the logs (a log is a sequence of
 * self-contained frames) into its own private per-item cache, whose objects are the worker's
 * cache, where the fetched objects now are.
 */
export function shardItemCache(ws: ScratchWorkspace): ItemCacheDirs {
  // Not below .dvcts/: saving it as folder objects goes through the project path rule, which keeps .dvcts/ out.
  return { items: ws.path('_dvcts_shard/items'), objects: ws.path('_dvcts_shard/objects') };
}

/** Saves and pushes what a shard run memoised. */
export async function pushSegment(ws: ScratchWorkspace, remote: RemoteStore): Promise<ItemSegment> {
  const dirs = shardItemCache(ws);
  const saved = async (dir: string, path: string) => {
    await mkdir(dir, { recursive: true });
    return lockedPath(path, await ws.cache.save(dir));
  };
  const segment = { items: await saved(dirs.items, 'items'), objects: await saved(dirs.objects, 'objects') };
  const pushed = await remote.pushObjects([segment.items, segment.objects]);
  if (pushed.incomplete.length > 0) throw new Error(`the shard's per-item results could not all be pushed (${pushed.incomplete.join(', ')})`);
  return segment;
}

/**
 * Fetches the shards' segments and builds the stage run's per-item cache from them:
 * `<workspace>/.dvcts/items`, objects in the worker's cache (`cacheObjectsDir`).
 */
export async function replaySegments(ws: ScratchWorkspace, segments: readonly ItemSegment[], remote: RemoteStore, cacheObjectsDir: string): Promise<ItemCacheDirs> {
  const dirs = { items: ws.path('.dvcts/items'), objects: cacheObjectsDir };
  await mkdir(dirs.items, { recursive: true });
  const fetched = await remote.fetchObjects(segments.flatMap((s) => [s.items, s.objects]));
  if (fetched.incomplete.length > 0) {
    throw new Error(`shard results ${fetched.incomplete.join(', ')} are not on remote ${remote.location} (removed by \`gc --cloud\` meanwhile?)`);
  }
  for (const segment of segments) {
    for (const log of await ws.cache.readManifest(segment.items.id)) {
      await appendFile(join(dirs.items, log.path), await readFile(ws.cache.objectPath(log.id)));
    }
  }
  return dirs;
}
