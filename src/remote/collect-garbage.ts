import { mapLimit } from '../cache/concurrency.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import type { TransferContext } from './context.js';
import { keyOf } from './keys.js';
import { folderEntries } from './manifests.js';
import { listArea } from './presence.js';
import { recordRefs } from './run-cache-transfer.js';

export interface RemoteGcOptions {
  /** Count what would be removed, remove nothing. */
  readonly dry: boolean;
  /**
   * Objects written less than this long ago are kept whatever references them: another machine
   * may be pushing data whose pointer or lock file is not committed yet.
   */
  readonly graceMs: number;
}

export interface RemoteGcResult {
  readonly removed: number;
  readonly bytesFreed: number;
  readonly kept: number;
  /** Unreferenced objects kept because they are younger than the grace period. */
  readonly recent: number;
  /** Leftovers of interrupted uploads removed. */
  readonly swept: number;
}

/**
 * Removes the remote objects that neither `keep` (what the chosen revisions record) nor any
 * run-cache record on the remote references. Folders keep their manifests' files (those of a
 * manifest kept for its age too); a manifest is read from the local cache, else from the remote.
 */
export async function collectGarbage(ctx: TransferContext, keep: Iterable<ObjectId>, opts: RemoteGcOptions): Promise<RemoteGcResult> {
  const kept = new Set<ObjectId>(keep);
  const records = [...(await listArea(ctx.backend, 'runs')).keys()];
  await mapLimit(records, ctx.jobs, async (fp) => {
    const bytes = await ctx.backend.read(keyOf('runs', fp));
    const refs = bytes === undefined ? undefined : recordRefs(Buffer.from(bytes).toString('utf8'));
    for (const r of refs ?? []) kept.add(r.id);
  });
  const now = Date.now();
  const young = (modifiedMs: number): boolean => now - modifiedMs < opts.graceMs;
  const listed = await listArea(ctx.backend, 'objects');
  // A manifest kept for its age still promises its files (push trusts a manifest on the remote):
  // they stay too, however old.
  const youngDirs = [...listed].filter(([id, entry]) => !kept.has(id as ObjectId) && young(entry.modifiedMs)).map(([id]) => id as ObjectId).filter(isDirId);
  await mapLimit([...[...kept].filter(isDirId), ...youngDirs], ctx.jobs, async (id) => {
    // A manifest in neither place protects nothing: its files cannot be found anyway.
    for (const file of (await folderEntries(ctx, id)) ?? []) kept.add(file.id);
  });

  const garbage: { id: string; size: number }[] = [];
  let recent = 0;
  let referenced = 0;
  for (const [id, entry] of listed) {
    if (kept.has(id as ObjectId)) referenced++;
    else if (young(entry.modifiedMs)) recent++;
    else garbage.push({ id, size: entry.size });
  }
  if (!opts.dry) await ctx.backend.remove(garbage.map((g) => keyOf('objects', g.id)));
  const swept = opts.dry ? 0 : await ctx.backend.sweepIncomplete(opts.graceMs);
  return { removed: garbage.length, bytesFreed: garbage.reduce((n, g) => n + g.size, 0), kept: referenced, recent, swept };
}
