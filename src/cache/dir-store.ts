import { closeSync, rmSync, statSync, type Stats } from 'node:fs';
import type { ObjectId } from '../core/ids.js';
import { SMALL_FILE_LIMIT, readSmallFileSync } from './hash.js';
import { ManifestCursor } from './manifest-table.js';
import type { ObjectStore } from './object-store.js';
import type { SortedFile } from './sorted-walk.js';
import { stampOf } from './state.js';
import type { DirSummary, FileIdentity, WorkspaceHasher } from './workspace-hasher.js';

/**
 * Stores a directory in one sorted walk: a file the state cache knows costs a stat and a check
 * that its object exists; any other file is opened once (fstat, read, close), hashed, and the
 * same bytes written to the store, all synchronously (no promise per file: see yield.ts); a large
 * file is streamed (read once for both). The manifest is streamed into a temp file in the store
 * as it is hashed, and renamed to its id last: its presence promises that every file is stored.
 * That promise saves a re-add the check per known file that its object exists: a file listed
 * with the same path and id in the manifest this folder was last stored under (the state cache
 * remembers which, and when) is stored, unless its fan-out folder changed since (an object
 * removed by gc or by hand). `stored` hears of every file (e.g. to relink it).
 */
export async function storeDir(
  hasher: WorkspaceHasher,
  store: ObjectStore,
  absPath: string,
  stored?: (absPath: string, id: ObjectId) => void,
): Promise<DirSummary> {
  const dirKey = hasher.stateKey(absPath);
  // Files arrive in manifest order: one cursor walks the previous manifest beside them.
  const before = await lastStoredManifest(hasher, store, dirKey, absPath);
  const storedBefore = (relPath: string, id: ObjectId): boolean => before !== undefined && !before.changed.has(id.slice(0, 2)) && before.cursor.lists(relPath, id);
  const storeFile = (file: SortedFile, key: string): FileIdentity | Promise<FileIdentity> => {
    let stats: Stats | undefined;
    if (hasher.knowsKey(key)) {
      stats = statSync(file.absPath);
      const known = hasher.lookupKeyed(key, stampOf(stats));
      // A symlink made by the symlink link type points into the store: its object is there.
      if (known !== undefined && (file.isLink || storedBefore(file.relPath, known) || store.hasSync(known))) return done(file.absPath, known, stats.size, stats);
    }
    // Unknown, or its object is gone: the bytes are read, hashed and stored in one go, so the
    // object holds exactly the bytes its id was computed from.
    if (stats === undefined || stats.size <= SMALL_FILE_LIMIT) {
      const read = readSmallFileSync(file.absPath);
      if (read.bytes !== undefined) {
        store.putSmallSync(read.id, read.bytes);
        // A size that moved since the stat means a writer is busy: store the id, do not trust it later.
        if (read.bytes.length !== read.stats.size) return done(file.absPath, read.id, read.bytes.length);
        hasher.recordKeyed(key, stampOf(read.stats), read.id);
        return done(file.absPath, read.id, read.bytes.length, read.stats);
      }
      stats = read.stats;
    }
    const { absPath: path } = file;
    const stamp = stampOf(stats);
    const size = stats.size;
    const trustedAt = stats;
    return store.putFileHashing(path, stamp).then((digest) => {
      if (digest.size !== size) return done(path, digest.id, digest.size);
      hasher.recordKeyed(key, stamp, digest.id);
      return done(path, digest.id, digest.size, trustedAt);
    });
  };
  /** `trustedAt`: the stat the id was recorded under, absent when a writer was busy (see FileIdentity). */
  const done = (path: string, id: ObjectId, size: number, trustedAt?: Stats): FileIdentity => {
    stored?.(path, id);
    return trustedAt === undefined ? { id, size } : { id, size, trustedAt };
  };

  const { fd, tmp } = store.openTempSync();
  let summary: DirSummary;
  try {
    try {
      summary = await hasher.passDir(absPath, 'storing', storeFile, fd);
    } finally {
      closeSync(fd);
    }
    store.adoptTempSync(tmp, summary.id);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  hasher.rememberStoredManifest(dirKey, summary.id, Date.now());
  return summary;
}

/** The manifest the folder was last stored under, if it is still in the store and whole. */
async function lastStoredManifest(
  hasher: WorkspaceHasher,
  store: ObjectStore,
  dirKey: string,
  absPath: string,
): Promise<{ cursor: ManifestCursor; changed: Set<string> } | undefined> {
  const last = hasher.storedManifest(dirKey);
  if (last === undefined || !store.hasSync(last.id)) return undefined;
  let text: string;
  try {
    text = await store.readManifestText(last.id, absPath); // read only if its bytes hash to its id
  } catch {
    return undefined; // damaged or unreadable: every file's object is checked instead
  }
  return { cursor: new ManifestCursor(text), changed: store.fanoutsChangedSince(last.at) };
}
