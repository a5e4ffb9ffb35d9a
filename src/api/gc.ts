import { lstat, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDirOf } from '../cache/index.js';
import { DvctsError, ExitCode } from '../core/errors.js';
import { isDirId, isObjectId, type ObjectId } from '../core/ids.js';
import type { CacheActivity } from '../cache/index.js';
import { mapLimit } from '../cache/concurrency.js';
import { sweepStaleTemps } from '../util/atomic-write.js';
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
  /** Collect a cache that other projects may share (a symlinked cache folder) too. */
  readonly force?: boolean;
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
  /** Entries of the cache gc did not look into: symbolic links (never followed) and other non-objects. */
  readonly skipped: readonly string[];
}

/**
 * `dvcts gc`: removes cache objects that nothing in the scope references. Runs under the project
 * lock, so no add/repro/checkout can store an object between the scan and the sweep. It never
 * follows a symbolic link inside the cache, and refuses a cache reached through a link (shared
 * with other projects, whose references it cannot see) unless `force`.
 */
export async function gc(opts: GcOptions = {}): Promise<GcResult> {
  const root = findProjectRoot(opts.cwd);
  const scope = opts.scope ?? 'workspace';
  const dry = opts.dry ?? false;
  const lock = await acquireRepoLock(root, { wait: opts.wait ?? true, command: 'gc', ...(opts.onWait ? { onWait: opts.onWait } : {}) });
  try {
    const cache = await openProjectCache(root);
    const shared = await linkedCacheFolder(root);
    if (shared !== undefined && !opts.force) throw sharedCacheError(shared);
    const { ids, commits } = await collectReferences(root, cache, scope);
    const { objects, skipped } = await listObjects(cache.objectsDir);
    // Manifests go first: one left by an interrupted gc would promise files already removed.
    const garbage = objects.filter((o) => !ids.has(o.id)).sort((a, b) => Number(isDirId(b.id as ObjectId)) - Number(isDirId(a.id as ObjectId)));
    const sizes = await mapLimit(garbage, 16, async (o) => (await stat(o.path)).size);
    const bytesFreed = sizes.reduce((sum, size) => sum + size, 0);
    if (!dry) {
      opts.progress?.planned?.('removing', '', garbage.length, bytesFreed);
      for (const [i, { path }] of garbage.entries()) {
        await rm(path, { force: true });
        opts.progress?.done?.('removing', '', sizes[i]!);
      }
    }
    return { scope, dry, commits, kept: objects.length - garbage.length, removed: garbage.length, bytesFreed, skipped };
  } finally {
    await lock.release();
  }
}

/** `.dvcts/cache` or its `objects` folder when it is a symbolic link (a cache shared between projects). */
async function linkedCacheFolder(root: string): Promise<string | undefined> {
  for (const folder of [cacheDirOf(root), join(cacheDirOf(root), 'objects')]) {
    if ((await lstat(folder).catch(() => undefined))?.isSymbolicLink()) return folder;
  }
  return undefined;
}

function sharedCacheError(link: string): DvctsError {
  return new DvctsError('E_GC_SHARED_CACHE', `the cache is reached through the symbolic link '${link}': other projects may share it, and gc would delete the objects only they use`, {
    data: { path: link },
    hint: 'run gc with --force to collect it anyway (what other projects need must then be pulled or reproduced again)',
    exitCode: ExitCode.usage,
  });
}

/**
 * Objects in the store (`ab/cdef…`): regular files in real fan-out folders only. A symbolic link
 * (as a fan-out folder or as an object) is listed as skipped, never followed: it could lead
 * out of the cache. Temp files of interrupted writes are swept, not listed.
 */
async function listObjects(objectsDir: string): Promise<{ objects: { id: string; path: string }[]; skipped: string[] }> {
  const objects: { id: string; path: string }[] = [];
  const skipped: string[] = [];
  let fanout;
  try {
    fanout = await readdir(objectsDir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { objects, skipped };
    throw e;
  }
  for (const prefix of fanout.sort(byName)) {
    if (!/^[0-9a-f]{2}$/.test(prefix.name)) continue;
    const dir = join(objectsDir, prefix.name);
    if (!prefix.isDirectory()) {
      skipped.push(dir);
      continue;
    }
    await sweepStaleTemps(dir); // leftovers of killed writes are garbage too
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort(byName)) {
      const id = prefix.name + entry.name;
      if (!isObjectId(id)) continue;
      if (entry.isFile()) objects.push({ id, path: join(dir, entry.name) });
      else skipped.push(join(dir, entry.name));
    }
  }
  return { objects, skipped };
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
