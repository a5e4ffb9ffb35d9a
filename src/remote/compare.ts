import { mapLimit } from '../cache/concurrency.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { uniqueRefs, type ObjectRef, type TransferContext } from './context.js';
import { localSize } from './local-objects.js';
import { folderEntries } from './manifests.js';
import { presentOnRemote } from './presence.js';

/** Where the objects of one ref (a file, or a folder's manifest and files) are. */
export interface ObjectsState {
  readonly id: ObjectId;
  readonly objects: number;
  readonly inBoth: number;
  readonly localOnly: number;
  readonly remoteOnly: number;
  /** In neither the local cache nor the remote. */
  readonly missing: number;
}

/**
 * Compares the local cache with the remote for each ref, without transferring anything. A
 * folder's files are known from its manifest, read locally or (only in memory) from the remote;
 * a manifest found on neither side counts as one missing object.
 */
export async function compareObjects(ctx: TransferContext, refs: Iterable<ObjectRef | ObjectId>): Promise<ObjectsState[]> {
  const tops = [...uniqueRefs(refs).keys()];
  const members = await mapLimit(tops, ctx.jobs, async (id): Promise<ObjectId[]> => {
    if (!isDirId(id)) return [id];
    return [id, ...((await folderEntries(ctx, id)) ?? []).map((e) => e.id)];
  });
  const all = new Set(members.flat());
  // As in push: a manifest on the remote promises its files there, so only the rest is asked for.
  const remote = await presentOnRemote(ctx.backend, 'objects', tops.filter(isDirId), ctx.jobs);
  tops.forEach((id, i) => remote.has(id) && members[i]!.forEach((m) => remote.add(m)));
  for (const id of await presentOnRemote(ctx.backend, 'objects', [...all].filter((m) => !remote.has(m)), ctx.jobs)) remote.add(id);
  const local = new Set([...all].filter((id) => localSize(ctx.store, id) !== undefined));
  return tops.map((id, i) => {
    const ids = [...new Set(members[i])];
    const count = (test: (id: ObjectId) => boolean): number => ids.filter(test).length;
    return {
      id,
      objects: ids.length,
      inBoth: count((m) => local.has(m) && remote.has(m)),
      localOnly: count((m) => local.has(m) && !remote.has(m)),
      remoteOnly: count((m) => !local.has(m) && remote.has(m)),
      missing: count((m) => !local.has(m) && !remote.has(m)),
    };
  });
}
