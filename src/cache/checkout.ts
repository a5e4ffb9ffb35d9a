import { lstat, mkdir, readdir, readlink, rm, rmdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { mapLimit } from './concurrency.js';
import { errnoOf, rethrowPermission } from './errors.js';
import type { Linker } from './links.js';
import type { ManifestEntry } from './manifest.js';
import type { ObjectStore } from './object-store.js';
import { walkFiles } from './walk.js';
import type { WorkspaceHasher } from './workspace-hasher.js';

// Files linked at once: link/copy syscalls overlap in libuv's pool.
const LINK_PARALLELISM = 8;

/** What checkout needs from the cache; kept narrow so the steps below read as the algorithm. */
export interface CheckoutDeps {
  readonly store: ObjectStore;
  readonly linker: Linker;
  readonly hasher: WorkspaceHasher;
}

/** Puts the object `id` at `absPath` unless the file there already has that content. */
export async function checkoutFile(deps: CheckoutDeps, id: ObjectId, size: number, absPath: string): Promise<void> {
  const objectPath = await deps.store.requireObject(id, size, absPath);
  if ((await currentId(deps, absPath)) === id) return;
  await removeIfDirectory(absPath);
  await mkdir(dirname(absPath), { recursive: true }).catch((e: unknown) => rethrowPermission(e, dirname(absPath), 'create folder'));
  await linkAndRemember(deps, objectPath, absPath, id);
}

/**
 * Makes the directory at `absPath` hold exactly the manifest's files. Every object is checked
 * first, so a missing or truncated object fails the checkout before any workspace file changes.
 */
export async function checkoutDir(deps: CheckoutDeps, entries: readonly ManifestEntry[], absPath: string): Promise<void> {
  const objectPaths = await mapLimit(entries, LINK_PARALLELISM, (e) =>
    deps.store.requireObject(e.id, e.size, join(absPath, e.path)),
  );
  await replaceNonDirectory(absPath);
  await mkdir(absPath, { recursive: true }).catch((e: unknown) => rethrowPermission(e, absPath, 'create folder'));

  const wanted = new Map(entries.map((e) => [e.path, e]));
  // Every symlink is listed (not refused): checkout replaces foreign links rather than failing.
  const present = await walkFiles(absPath, () => true);
  const extra = present.filter((f) => !wanted.has(f.relPath));
  await mapLimit(extra, LINK_PARALLELISM, (f) => rm(f.absPath, { force: true }));
  await removeEmptyDirs(absPath);

  const jobs = entries.map((entry, i) => ({ entry, objectPath: objectPaths[i] as string }));
  await mapLimit(jobs, LINK_PARALLELISM, async ({ entry, objectPath }) => {
    const dest = join(absPath, ...entry.path.split('/'));
    if ((await currentId(deps, dest)) === entry.id) return;
    await mkdir(dirname(dest), { recursive: true });
    await linkAndRemember(deps, objectPath, dest, entry.id);
  });
}

/** Id of the workspace file now (state cache first); undefined if absent, a dir or a foreign link. */
async function currentId(deps: CheckoutDeps, absPath: string): Promise<ObjectId | undefined> {
  let info;
  try {
    info = await lstat(absPath);
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return undefined;
    throw e;
  }
  if (info.isSymbolicLink()) {
    if (!deps.hasher.allowSymlink(absPath, await readlink(absPath))) return undefined;
    const target = await stat(absPath).catch(() => undefined);
    if (target === undefined || !target.isFile()) return undefined;
  } else if (!info.isFile()) {
    return undefined;
  }
  return (await deps.hasher.hashFile(absPath)).id;
}

async function linkAndRemember(deps: CheckoutDeps, objectPath: string, dest: string, id: ObjectId): Promise<void> {
  await deps.linker.link(objectPath, dest);
  deps.hasher.remember(dest, await stat(dest), id);
}

async function removeIfDirectory(absPath: string): Promise<void> {
  const info = await lstat(absPath).catch(() => undefined);
  if (info?.isDirectory()) await rm(absPath, { recursive: true, force: true });
}

/** A file or link where the directory should be is removed (checkout restores the recorded shape). */
async function replaceNonDirectory(absPath: string): Promise<void> {
  const info = await lstat(absPath).catch(() => undefined);
  if (info !== undefined && !info.isDirectory()) await rm(absPath, { force: true });
}

/** Removes empty folders below `dir` (manifests have none; they would block a file of that name). */
async function removeEmptyDirs(dir: string): Promise<boolean> {
  const dirents = await readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const d of dirents) {
    if (d.isDirectory() && (await removeEmptyDirs(join(dir, d.name)))) await rmdir(join(dir, d.name));
    else empty = false;
  }
  return empty;
}
