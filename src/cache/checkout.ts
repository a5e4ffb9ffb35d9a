import { lstatSync, mkdirSync, readdirSync, readlinkSync, renameSync, rmdirSync, rmSync, statSync, type Stats } from 'node:fs';
import { lstat, mkdir, readlink, rm, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { PhaseMeter, type CacheActivity } from './activity.js';
import { sequentialTempPath } from './atomic.js';
import { errnoOf, objectContentError, objectCorruptError, objectMissingError, objectNotAFileError, rethrowSystemError } from './errors.js';
import { SMALL_FILE_LIMIT, hashSmallFileSync } from './hash.js';
import type { Linker } from './links.js';
import type { ManifestEntry } from './manifest.js';
import type { ManifestTable } from './manifest-table.js';
import type { ObjectStore } from './object-store.js';
import { walkSorted } from './sorted-walk.js';
import { makeYielder } from './yield.js';
import type { WorkspaceHasher } from './workspace-hasher.js';

/** What checkout needs from the cache; kept narrow so the steps below read as the algorithm. */
export interface CheckoutDeps {
  readonly store: ObjectStore;
  readonly linker: Linker;
  readonly hasher: WorkspaceHasher;
  /** Progress, and a signal that stops a checkout between files. */
  readonly activity?: CacheActivity;
}

/**
 * Puts the object `id` at `absPath` unless the file there already has that content. The object
 * must be there either way; its content is verified (hashed) when it is about to be placed.
 */
export async function checkoutFile(deps: CheckoutDeps, id: ObjectId, size: number, absPath: string): Promise<void> {
  const inPlace = (await currentId(deps, absPath)) === id;
  const objectPath = await deps.store.requireObject(id, size, absPath, !inPlace);
  deps.activity?.signal?.throwIfAborted();
  if (inPlace) return;
  await removeIfDirectory(absPath);
  await mkdir(dirname(absPath), { recursive: true }).catch((e: unknown) => rethrowSystemError(e, dirname(absPath), 'create folder'));
  await linkAndRemember(deps, objectPath, absPath, id);
}

/** Per manifest entry: nothing to do, staged (small, placed by rename), or linked in phase 2 (large). */
const KEEP = 0;
const STAGED = 1;
const LARGE = 2;

/**
 * Makes the directory at `absPath` hold exactly the manifest's files, in two phases, with
 * synchronous calls (no promise per file: see yield.ts):
 * 1. stage, leaving the workspace as it is: what is there is walked in manifest order beside the
 *    sorted entries (a merge: no map of a million paths); a file whose id already matches stays.
 *    Every other small entry's object is read and hashed, so a missing or corrupt object fails
 *    the checkout here (E_OBJECT_MISSING, E_OBJECT_CORRUPT), and the very bytes hashed are
 *    placed, by the link chain, at the entry's own path inside a staging folder beside `absPath`
 *    (a `.tmp-` name: swept if the process is killed). Large objects are verified here too
 *    (hashed, or known verified by their inode, size, mtime and ctime: see VerifiedObjects) and
 *    linked in phase 2.
 * 2. place: when there was no folder at `absPath`, the staging folder is renamed to it, whole, at
 *    once; otherwise files the manifest does not list are removed and staged files renamed into
 *    place one by one (each replacement atomic). Large files are linked, and the state cache
 *    learns every placed file.
 * Why a tree, not one flat staging folder: at a million files, the lookups and inserts in one
 * folder of a million entries, and a rename per file, were a third of the checkout's time
 * (perf: ext4_dx_find_entry, ext4_rename), and grew faster than the file count.
 */
export async function checkoutDir(deps: CheckoutDeps, entries: ManifestTable, absPath: string): Promise<void> {
  const dirKey = deps.hasher.stateKey(absPath);
  const keyOf = (entry: ManifestEntry): string => (dirKey === '' ? entry.path : `${dirKey}/${entry.path}`);
  const nativeRel = (entry: ManifestEntry): string => (sep === '/' ? entry.path : entry.path.split('/').join(sep));
  const destOf = (entry: ManifestEntry): string => absPath + sep + nativeRel(entry);
  // Per entry, typed arrays (a million files): what to do, and the stamp of a staged file
  // (rename keeps inode, size and mtime).
  const action = new Uint8Array(entries.length);
  const inodes = new Float64Array(entries.length);
  const mtimes = new Float64Array(entries.length);
  const extras: string[] = [];
  const yielder = makeYielder();
  // A file counts when its bytes are checked and staged (a large one when it is linked, in phase
  // 2); the signal is obeyed between files in both phases: every placed file is whole.
  const meter = new PhaseMeter(deps.activity, 'checking out', dirKey, entries.length, entries.totalSize);

  mkdirSync(dirname(absPath), { recursive: true });
  const staging = sequentialTempPath(absPath);
  mkdirSync(staging);
  const stagedOf = (entry: ManifestEntry): string => staging + sep + nativeRel(entry);
  // Entries come sorted, so a folder's files are mostly neighbours: one mkdir per change of folder.
  let lastDir = '';
  const stage = async (i: number): Promise<void> => {
    const entry = entries.entry(i);
    meter.check();
    if (entry.size > SMALL_FILE_LIMIT) {
      await deps.store.requireObject(entry.id, entry.size, destOf(entry));
      action[i] = LARGE;
      return;
    }
    const tmp = stagedOf(entry);
    const dir = dirname(tmp);
    if (dir !== lastDir) {
      mkdirSync(dir, { recursive: true });
      lastDir = dir;
    }
    const stats = placeVerifiedSync(deps, entry, destOf(entry), tmp);
    inodes[i] = stats.ino;
    mtimes[i] = stats.mtimeMs;
    action[i] = STAGED;
    meter.step(entry.size);
    await yielder.tick();
  };

  const existed = lstatSync(absPath, { throwIfNoEntry: false })?.isDirectory() === true;
  try {
    let next = 0;
    if (existed) {
      // Every symlink is listed (not refused): checkout replaces foreign links rather than failing.
      await walkSorted(absPath, () => true, async (file) => {
        while (next < entries.length && entries.path(next) < file.relPath) await stage(next++);
        const entry = next < entries.length ? entries.entry(next) : undefined;
        if (entry === undefined || entry.path !== file.relPath) {
          extras.push(file.relPath);
          return;
        }
        const i = next++;
        if ((await matchedFileId(deps, file.absPath, keyOf(entry), file.isLink)) !== entry.id) await stage(i);
        else {
          requireStoredSync(deps.store, entry, file.absPath); // kept, but its object must be there too
          meter.step(entry.size);
        }
      });
    }
    while (next < entries.length) await stage(next++);
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }

  try {
    replaceNonDirectory(absPath);
    const movedWhole = !existed && renameWholeSync(staging, absPath);
    if (!movedWhole) {
      mkdirSync(absPath, { recursive: true });
      for (const rel of extras) rmSync(join(absPath, rel), { force: true });
      if (existed) removeEmptyDirs(absPath);
    }
    for (let i = 0; i < entries.length; i++) {
      if (action[i] === KEEP) continue;
      const entry = entries.entry(i);
      meter.check();
      if (action[i] === STAGED) {
        if (!movedWhole) moveIntoPlace(stagedOf(entry), destOf(entry));
        deps.hasher.recordKeyed(keyOf(entry), `${inodes[i]}:${entry.size}:${mtimes[i]}`, entry.id);
      } else if (action[i] === LARGE) {
        const dest = destOf(entry);
        mkdirSync(dirname(dest), { recursive: true });
        await linkAndRemember(deps, deps.store.pathOf(entry.id), dest, entry.id);
        meter.step(entry.size);
      }
      await yielder.tick();
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Renames the staged tree to `absPath` where nothing is; false when something appeared there
 * meanwhile (another process), and the files are then moved one by one.
 */
function renameWholeSync(staging: string, absPath: string): boolean {
  if (lstatSync(absPath, { throwIfNoEntry: false }) !== undefined) return false;
  try {
    renameSync(staging, absPath);
    return true;
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'EEXIST' || code === 'ENOTEMPTY' || code === 'ENOTDIR' || code === 'EISDIR') return false;
    return rethrowSystemError(e, absPath, 'write');
  }
}

/**
 * Reads a small object, checks that it has the entry's size and id, and places those very bytes
 * at `tmp` with the link chain; returns the placed file's stat.
 */
function placeVerifiedSync(deps: CheckoutDeps, entry: ManifestEntry, dest: string, tmp: string): Stats {
  const objectPath = deps.store.pathOf(entry.id);
  let digest;
  let placed: Stats | undefined;
  try {
    digest = hashSmallFileSync(objectPath, (bytes, id) => {
      if (bytes.length === entry.size && id === entry.id) placed = deps.linker.placeSync(objectPath, tmp, dest, bytes);
    });
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') throw objectMissingError(entry.id, dest);
    if (errnoOf(e) === 'EISDIR') throw objectNotAFileError(entry.id, objectPath);
    return rethrowSystemError(e, objectPath, 'read cache object');
  }
  const size = digest?.size ?? statSync(objectPath).size;
  if (size !== entry.size) throw objectCorruptError(entry.id, objectPath, entry.size, size);
  if (digest!.id !== entry.id) throw objectContentError(entry.id, objectPath, digest!.id, size);
  return placed!;
}

/** A file that stays still needs its object (presence and size): the checkout is of the whole manifest. */
function requireStoredSync(store: ObjectStore, entry: ManifestEntry, dest: string): void {
  const stats = statSync(store.pathOf(entry.id), { throwIfNoEntry: false });
  if (stats === undefined) throw objectMissingError(entry.id, dest);
  if (stats.size !== entry.size) throw objectCorruptError(entry.id, store.pathOf(entry.id), entry.size, stats.size);
}

/** Renames a staged file over `dest`, making its folder, or removing a folder standing in its way. */
function moveIntoPlace(from: string, dest: string): void {
  try {
    renameSync(from, dest);
    return;
  } catch (e) {
    const code = errnoOf(e);
    if (code === 'ENOENT') mkdirSync(dirname(dest), { recursive: true });
    else if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') rmSync(dest, { recursive: true, force: true });
    else return rethrowSystemError(e, dest, 'write');
  }
  renameSync(from, dest);
}

/** Id of a workspace file met by the walk; undefined for a foreign or broken link. */
async function matchedFileId(deps: CheckoutDeps, absPath: string, key: string, isLink: boolean): Promise<ObjectId | undefined> {
  if (isLink && !deps.hasher.allowSymlink(absPath, readlinkSync(absPath))) return undefined;
  const target = statSync(absPath, { throwIfNoEntry: false });
  if (target === undefined || !target.isFile()) return undefined;
  return (await deps.hasher.currentFile(absPath, key)).id;
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

/** Links a verified object into place; the state cache learns the id of bytes that were hashed. */
async function linkAndRemember(deps: CheckoutDeps, objectPath: string, dest: string, id: ObjectId): Promise<void> {
  await deps.store.keepVerifiedAcross(id, () => deps.linker.link(objectPath, dest));
  deps.hasher.remember(dest, await stat(dest), id);
}

async function removeIfDirectory(absPath: string): Promise<void> {
  const info = await lstat(absPath).catch(() => undefined);
  if (info?.isDirectory()) await rm(absPath, { recursive: true, force: true });
}

/** A file or link where the directory should be is removed (checkout restores the recorded shape). */
function replaceNonDirectory(absPath: string): void {
  const info = lstatSync(absPath, { throwIfNoEntry: false });
  if (info !== undefined && !info.isDirectory()) rmSync(absPath, { force: true });
}

/** Removes empty folders below `dir` (manifests have none; they would block a file of that name). */
function removeEmptyDirs(dir: string): boolean {
  let empty = true;
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory() && removeEmptyDirs(join(dir, d.name))) rmdirSync(join(dir, d.name));
    else empty = false;
  }
  return empty;
}
