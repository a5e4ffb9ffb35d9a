import { readdir, rm, stat } from 'node:fs/promises';
import { sweepStaleTemps } from '../util/atomic-write.js';
import { join } from 'node:path';
import { isObjectId } from '../core/ids.js';
import type { CacheActivity } from '../cache/index.js';
import { mapLimit } from '../cache/concurrency.js';
import { openProjectCache } from './config.js';
import { collectReferences, type GcScope } from './gc-references.js';
import { findProjectRoot } from './project.js';
import { acquireRepoLock } from './repo-lock.js';

export type { GcScope } from './gc-references.js';

export interface GcOptions {
  readonly cwd?: string;
  /** What to keep besides the workspace's references; default 'workspace' (only those). */
  readonly scope?: GcScope;
  /** Count what would be removed, remove nothing. */
  readonly dry?: boolean;
  readonly wait?: boolean;
  onWait?(holder: string): void;
  /** Objects and bytes removed, as they go (phase `removing`). */
  readonly progress?: Omit<CacheActivity, 'signal'>;
}

export interface GcResult {
  readonly scope: GcScope;
  readonly dry: boolean;
  readonly commits: number;
  readonly kept: number;
  readonly removed: number;
  readonly bytesFreed: number;
}

/**
 * `dvcts gc`: removes cache objects that nothing in the scope references. Runs under the project
 * lock, so no add/repro/checkout can store an object between the scan and the sweep.
 */
export async function gc(opts: GcOptions = {}): Promise<GcResult> {
  const root = findProjectRoot(opts.cwd);
  const scope = opts.scope ?? 'workspace';
  const dry = opts.dry ?? false;
  const lock = await acquireRepoLock(root, { wait: opts.wait ?? true, command: 'gc', ...(opts.onWait ? { onWait: opts.onWait } : {}) });
  try {
    const cache = await openProjectCache(root);
    const { ids, commits } = await collectReferences(root, cache, scope);
    const objects = await listObjects(cache.objectsDir);
    const garbage = objects.filter((o) => !ids.has(o.id));
    const sizes = await mapLimit(garbage, 16, async (o) => (await stat(o.path)).size);
    const bytesFreed = sizes.reduce((sum, size) => sum + size, 0);
    if (!dry) {
      opts.progress?.planned?.('removing', '', garbage.length, bytesFreed);
      for (const [i, { path }] of garbage.entries()) {
        await rm(path, { force: true });
        opts.progress?.done?.('removing', '', sizes[i]!);
      }
    }
    return { scope, dry, commits, kept: objects.length - garbage.length, removed: garbage.length, bytesFreed };
  } finally {
    await lock.release();
  }
}

/** Objects in the store (`ab/cdef…`); temp files of interrupted writes are not objects. */
async function listObjects(objectsDir: string): Promise<{ id: string; path: string }[]> {
  const objects: { id: string; path: string }[] = [];
  let fanout: string[];
  try {
    fanout = await readdir(objectsDir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  for (const prefix of fanout.sort()) {
    if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
    await sweepStaleTemps(join(objectsDir, prefix)); // leftovers of killed writes are garbage too
    for (const name of (await readdir(join(objectsDir, prefix))).sort()) {
      const id = prefix + name;
      if (isObjectId(id)) objects.push({ id, path: join(objectsDir, prefix, name) });
    }
  }
  return objects;
}
