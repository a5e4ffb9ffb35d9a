import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { errnoOf, rethrowPermission } from './errors.js';
import { HASH_PARALLELISM, SMALL_FILE_LIMIT, hashBytesSync, hashFile, type FileDigest } from './hash.js';
import { makeYielder } from './yield.js';
import { manifestId, serializeManifest } from './manifest.js';
import { mapLimit } from './concurrency.js';
import { stampOf, type StateCache } from './state.js';
import { walkFiles, type SymlinkPolicy } from './walk.js';

export interface HashedFile {
  readonly id: ObjectId;
  readonly size: number;
  /** stampOf() the stat the id belongs to (followed through a symlink into the cache). */
  readonly stamp: string;
}

export interface HashedDir {
  readonly id: ObjectId;
  readonly manifest: string;
  readonly files: readonly (HashedFile & { readonly relPath: string; readonly absPath: string })[];
  readonly size: number;
}

/** Reads a file the state cache does not know; `stamp` is stampOf() the stat taken before. */
export type FileReader = (absPath: string, size: number, stamp: string) => Promise<FileDigest>;

const hashOnly: FileReader = (absPath, size) => hashFile(absPath, size);

/** Hashes workspace paths, asking the state cache first and teaching it what it hashed. */
export class WorkspaceHasher {
  constructor(
    private readonly root: string,
    private readonly state: StateCache,
    readonly allowSymlink: SymlinkPolicy,
  ) {}

  /** State keys are root-relative posix paths (compact, survive moving the project). */
  stateKey(absPath: string): string {
    const rel = relative(this.root, absPath);
    if (rel.startsWith('..') || isAbsolute(rel)) return absPath;
    return sep === '/' ? rel : rel.split(sep).join('/');
  }

  /** The id the state cache holds for this file as it is now, without reading it. */
  knownId(absPath: string, stats: Stats): ObjectId | undefined {
    return this.state.lookup(this.stateKey(absPath), stampOf(stats));
  }

  remember(absPath: string, stats: Stats, id: ObjectId): void {
    this.state.record(this.stateKey(absPath), stampOf(stats), id);
  }

  async hashFile(absPath: string, known?: Stats): Promise<HashedFile> {
    const stats = known ?? (await stat(absPath));
    return this.hashKeyed(this.stateKey(absPath), absPath, stampOf(stats), stats.size);
  }

  private async hashKeyed(key: string, absPath: string, stamp: string, size: number, read = hashOnly): Promise<HashedFile> {
    const cached = this.state.lookup(key, stamp);
    if (cached !== undefined) return { id: cached, size, stamp };
    const digest = await read(absPath, size, stamp).catch((e: unknown) => rethrowPermission(e, absPath, 'read'));
    // A size that moved while reading means a writer is busy: use the id, but do not trust it later.
    if (digest.size === size) this.state.record(key, stamp, digest.id);
    return { id: digest.id, size: digest.size, stamp };
  }

  /**
   * Id, size and file count of a directory, as `status` needs them. When every file's stamp is
   * one the state cache knows and the listing is the one recorded with the directory's id (see
   * listingStamp), that id is reused without rebuilding and hashing the manifest.
   */
  async summarizeDir(absPath: string): Promise<DirSummary> {
    const listing = await this.statDir(absPath);
    const size = listing.files.reduce((sum, f) => sum + f.size, 0);
    const stamp = listing.unknown.length === 0 ? listingStamp(listing.files) : undefined;
    const known = stamp === undefined ? undefined : this.state.lookup(listing.dirKey, stamp);
    if (known !== undefined) return { id: known, size, nfiles: listing.files.length };
    const dir = await this.finishDir(listing);
    return { id: dir.id, size: dir.size, nfiles: dir.files.length };
  }

  /**
   * Every file's id and the manifest. `readLarge`, when given, reads the unknown files above
   * SMALL_FILE_LIMIT instead of a plain hash (saving passes one that stores while hashing).
   */
  async hashDir(absPath: string, readLarge?: FileReader): Promise<HashedDir> {
    return this.finishDir(await this.statDir(absPath), readLarge);
  }

  /** Lists the directory and looks every file up in the state cache (nothing is read). */
  private async statDir(absPath: string): Promise<DirListing> {
    const walked = await walkFiles(absPath, this.allowSymlink);
    const dirKey = this.stateKey(absPath);
    // This loop is the whole cost of a no-op status: sync stats (see yield.ts), keys built by
    // concatenation (path.relative per file costs as much as the stat), no per-file promises.
    const files: DirFile[] = [];
    const unknown: DirFile[] = [];
    const yielder = makeYielder();
    for (const { relPath, absPath: fileAbs } of walked) {
      const stats = statSync(fileAbs);
      const key = dirKey === '' ? relPath : `${dirKey}/${relPath}`;
      const stamp = stampOf(stats);
      const id = this.state.lookup(key, stamp);
      const file: DirFile = { relPath, absPath: fileAbs, key, stamp, size: stats.size, id: id ?? ('' as ObjectId) };
      files.push(file);
      if (id === undefined) unknown.push(file);
      await yielder.tick();
    }
    return { dirKey, files, unknown };
  }

  /** Hashes the files the state cache did not know, then builds the manifest and its id. */
  private async finishDir({ dirKey, files, unknown }: DirListing, readLarge?: FileReader): Promise<HashedDir> {
    let settled = true;
    // Large unknown files are read a few at a time (each holds a 4 MiB buffer).
    await mapLimit(unknown, HASH_PARALLELISM, async (file) => {
      const read = readLarge !== undefined && file.size > SMALL_FILE_LIMIT ? readLarge : hashOnly;
      const hashed = await this.hashKeyed(file.key, file.absPath, file.stamp, file.size, read);
      if (hashed.size !== file.size) settled = false;
      file.id = hashed.id;
      file.size = hashed.size;
    });
    const manifest = serializeManifest(files.map((f) => ({ path: f.relPath, id: f.id, size: f.size })));
    const size = files.reduce((sum, f) => sum + f.size, 0);
    const id = await manifestId(manifest);
    // Files that changed while being read are not trusted by the state cache, nor is this id.
    if (settled) this.state.record(dirKey, listingStamp(files), id);
    return { id, manifest, files, size };
  }
}

export interface DirSummary {
  readonly id: ObjectId;
  readonly size: number;
  readonly nfiles: number;
}

interface DirListing {
  readonly dirKey: string;
  readonly files: DirFile[];
  readonly unknown: DirFile[];
}

/**
 * The state-cache stamp of a directory: a digest of every file's path and stamp, in listing
 * order. Equal digests mean the same files with the same stamps, hence (by the state cache's
 * own rule) the same ids and the same manifest. A listing order that changed only costs a
 * rebuild. The "tree:" prefix keeps it distinct from any file stamp under the same key.
 */
function listingStamp(files: readonly DirFile[]): string {
  let text = '';
  for (const f of files) text += `${f.relPath}\0${f.stamp}\n`;
  return `tree:${hashBytesSync(Buffer.from(text, 'utf8'))}`;
}

interface DirFile {
  readonly relPath: string;
  readonly absPath: string;
  readonly key: string;
  readonly stamp: string;
  id: ObjectId;
  size: number;
}

/**
 * stat (following symlinks) that answers undefined for a missing path. Synchronous: a status of
 * 32k stages asks it for 64k paths, and an async stat (a thread-pool round trip, and an Error
 * object for every missing output) cost ten times the syscall.
 */
export async function statIfExists(absPath: string): Promise<Stats | undefined> {
  try {
    return statSync(absPath, { throwIfNoEntry: false });
  } catch (e) {
    if (errnoOf(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}
