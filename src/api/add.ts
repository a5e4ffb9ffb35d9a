import { dirname, join, posix } from 'node:path';
import type { Cache, CacheActivity, PathInfo } from '../cache/index.js';
import { interruptedError, interruptionOf } from '../core/errors.js';
import { ensureGitignored } from '../scm/gitignore.js';
import { sweepStaleTemps, writeFileAtomic } from '../util/atomic-write.js';
import { checkAddable, refuseTrackedInside } from './add-checks.js';
import { openProjectCache } from './config.js';
import { findProjectRoot } from './project.js';
import { acquireRepoLock } from './repo-lock.js';
import { pointerPathFor } from './pointer.js';
import { builtins, type ProjectOptions } from './builtins.js';

export interface AddOptions extends ProjectOptions {
  /** Files or folders, relative to cwd. */
  readonly paths: readonly string[];
  /** Wait for another dvcts process holding the project lock (default), or fail at once. */
  readonly wait?: boolean;
  onWait?(holder: string): void;
  /** Files and bytes hashed and stored, as they go. */
  readonly progress?: Omit<CacheActivity, 'signal'>;
  /** Aborted (Ctrl-C): stops between files; the path being added gets no pointer (E_INTERRUPTED). */
  readonly signal?: AbortSignal;
}

export interface AddedPath {
  /** Project-relative path of the data. */
  readonly path: string;
  /** Project-relative path of the pointer file written beside it. */
  readonly pointer: string;
  readonly info: PathInfo;
  /** .gitignore files that gained a rule. */
  readonly gitignores: readonly string[];
}

/**
 * `dvcts add PATH...`: stores each path in the cache, links the workspace copy per the link
 * chain, writes `PATH.dvcts` for git, and git-ignores PATH. Every path is checked before any is
 * stored (see checkAddable). A re-add reads again only files whose (inode, size, mtime) changed,
 * and the few small files that share a run with them (see cache/stored-runs.ts).
 */
export async function add(opts: AddOptions): Promise<AddedPath[]> {
  const cwd = opts.cwd ?? process.cwd();
  const root = findProjectRoot(cwd);
  const lock = await acquireRepoLock(root, {
    wait: opts.wait ?? true,
    command: 'add',
    ...(opts.onWait ? { onWait: opts.onWait } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    const paths = await checkAddable(root, cwd, opts.paths, opts.builtins ?? builtins);
    const cache = await openProjectCache(root, { ...opts.progress, ...(opts.signal ? { signal: opts.signal } : {}) });
    const added: AddedPath[] = [];
    try {
      for (const path of paths) {
        try {
          opts.signal?.throwIfAborted();
          added.push(await trackPath(root, cache, path));
        } catch (e) {
          if (opts.signal?.aborted) throw interruptedAdd(opts.signal, path, added);
          throw e;
        }
      }
    } finally {
      await cache.flush();
    }
    return added;
  } finally {
    await lock.release();
  }
}

function interruptedAdd(signal: AbortSignal, path: string, added: readonly AddedPath[]): Error {
  const done = added.length > 0 ? `; ${added.map((a) => a.pointer).join(', ')} were written before it` : '';
  return interruptedError(
    interruptionOf(signal),
    `while adding ${path}: no pointer file was written for it (the files already stored stay in the cache, so adding it again continues from there)${done}`,
  );
}

/**
 * Stores `path` (project-relative) in the cache, links the workspace copy per the link chain,
 * then writes `PATH.dvcts` and git-ignores PATH. The pointer file is written after the data is in
 * the cache, so a pointer never names an object that was not stored.
 */
export async function trackPath(root: string, cache: Cache, path: string): Promise<AddedPath> {
  const info = await cache.save(join(root, path), { relink: true, refuse: refuseTrackedInside(path) });
  const pointer = pointerPathFor(path);
  await sweepStaleTemps(dirname(join(root, pointer)));
  const { formatPointer } = await import('./pointer-yaml.js'); // loaded with YAML, only when a pointer is written
  await writeFileAtomic(join(root, pointer), formatPointer([{ ...info, path: posix.basename(path) }]), { durable: true });
  return { path, pointer, info, gitignores: await ensureGitignored(root, [path]) };
}
