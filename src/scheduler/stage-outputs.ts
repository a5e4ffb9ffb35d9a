import { existsSync } from 'node:fs';
import { lstat, mkdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { unprotect, type Cache } from '../cache/index.js';
import { DvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import { lockedPath } from '../lockfile/observe.js';
import type { LockEntry, LockedPath } from '../lockfile/types.js';
import { ensureGitignoredIfGit } from '../scm/gitignore.js';
import { removeOwnTemps, sweepStaleTemps } from '../util/atomic-write.js';
import { confinedPath } from '../util/confined-path.js';

/**
 * Outputs are removed before the stage runs (unless persist), so a stage never sees stale results;
 * a built-in with incremental outputs rebuilds its data outputs itself (atomically) and may keep
 * the unchanged files of the previous ones.
 */
export async function prepareOutputs(root: string, stage: StageSpec): Promise<void> {
  for (const out of stage.outs) {
    // Each path is checked again first: whatever validation missed, this rm never leaves the data.
    const abs = await confinedPath(root, out.path, 'write');
    const rebuiltByStage = stage.builtin?.incrementalOutputs === true && out.kind !== 'metric';
    if (!out.persist && !rebuiltByStage) await rm(abs, { recursive: true, force: true });
    await mkdir(dirname(abs), { recursive: true });
    await sweepStaleTemps(dirname(abs)); // a killed earlier run may have left a temp beside it
  }
}

/**
 * After an interrupted run, the stage's partial outputs are removed (its recorded version is still
 * in the cache: `dvcts checkout` brings it back) with this process's temp files beside them.
 * `persist` outputs were never deleted and are left as they are. Returns the paths removed.
 */
export async function discardPartialOutputs(root: string, stage: StageSpec): Promise<string[]> {
  const removed: string[] = [];
  for (const out of stage.outs) {
    if (out.persist) continue;
    const abs = join(root, out.path);
    if ((await lstat(abs).catch(() => undefined)) !== undefined) removed.push(out.path);
    await rm(abs, { recursive: true, force: true });
    await removeOwnTemps(dirname(abs), basename(abs));
  }
  return removed;
}

/**
 * Checks every output exists, stores cached ones, and returns what the lock file records.
 * `forRunCache`: a `cache: false` metric or plot is stored too (its workspace file stays as it
 * is), so that the run-cache can restore it, as DVC does.
 */
export async function saveOutputs(root: string, stage: StageSpec, cache: Cache, forRunCache = false): Promise<LockEntry['outs']> {
  const saved = [];
  for (const out of stage.outs) {
    const abs = join(root, out.path);
    // Only whether it exists: hashing a folder here too walked 4,000 image outputs twice.
    if (!existsSync(abs)) {
      throw new DvctsError('E_OUT_NOT_CREATED', `stage "${stage.name}" finished but did not create its output "${out.path}"`, {
        data: { path: out.path, range: out.range },
        hint: 'make the command write that path, or remove it from outs',
      });
    }
    const store = out.cache || (forRunCache && out.kind !== 'out');
    saved.push(lockedPath(out.path, store ? await cache.save(abs) : await cache.hashPath(abs)));
  }
  // Cached outputs are restored from the cache, not from git (like DVC): keep them out of git.
  await ensureGitignoredIfGit(root, stage.outs.filter((o) => o.cache).map((o) => o.path));
  return saved;
}

/**
 * Puts recorded outputs back from the cache (a run-cache hit, a frozen stage's deleted output).
 * A `cache: false` output comes back as a plain writable copy, never a link into the cache: it is
 * the user's own file, which git may track.
 */
export async function restoreOutputs(root: string, stage: StageSpec, cache: Cache, outs: readonly LockedPath[]): Promise<void> {
  const cached = new Set(stage.outs.filter((o) => o.cache).map((o) => o.path));
  for (const out of outs) {
    const abs = await confinedPath(root, out.path, 'write'); // recorded paths (lock files) are checked like any other
    await rm(abs, { recursive: true, force: true });
    await mkdir(dirname(abs), { recursive: true });
    await sweepStaleTemps(dirname(abs)); // a restore killed earlier may have left a temp beside it
    await cache.checkout(out, abs);
    if (!cached.has(out.path)) await unprotect(abs);
  }
  await ensureGitignoredIfGit(root, outs.filter((o) => cached.has(o.path)).map((o) => o.path));
}
