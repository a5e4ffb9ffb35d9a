import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, existsSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { sequentialTempName, sequentialTempPath, tempPathBeside, writeFileAtomic } from './atomic.js';
import { COPY_WORKER_MIN_SIZE, copyHashing } from './copy-hashing.js';
import { IdFingerprints } from './id-fingerprints.js';
import { hashBytes, hashFile, hashFileStreaming, readSmallFileSync, type FileDigest } from './hash.js';
import { stampOf } from './state.js';
import { VerifiedObjects } from './verified-objects.js';
import {
  errnoOf,
  fileChangedError,
  objectContentError,
  objectCorruptError,
  objectMissingError,
  objectNotAFileError,
  rethrowSystemError,
} from './errors.js';

/** Objects are immutable once stored: read-only for everyone, so a stray write fails loudly. */
export const OBJECT_MODE = 0o444;

/**
 * Bytes per write when a streamed file is stored (it is read and hashed in HASH_CHUNK_SIZE chunks).
 * The kernel sizes new page-cache folios by the write: a 4 MiB write takes 2 MiB folios, from the
 * free blocks that these VMs hand back to the host first, and every page then faults in the host
 * (perf: the time is in copy_folio_from_iter_atomic). In bench many-files big and its variants,
 * 4 MiB writes made a 1 GiB store 3-10x slower in most rounds; 256 KiB writes (cp writes 64 KiB
 * through splice) seldom were.
 */
export const OBJECT_WRITE_PIECE = 256 * 1024;

/**
 * The content-addressed object store: `<objectsDir>/ab/cdef…` (first two hex chars fan out the
 * folders; a manifest keeps its ".dir" suffix). An object appears under its final name only by
 * rename of a complete temp file in the same folder, so a SIGKILL never leaves a partial object.
 */
export class ObjectStore {
  /** Fan-out folders known to exist, by prefix (a path join per object cost as much as its write). */
  private readonly knownDirs = new Map<string, string>();
  /** Fan-out folders this process created and only putSmallSync wrote objects to, and those objects. */
  private readonly createdDirs = new Set<string>();
  private readonly writtenSmall = new IdFingerprints();

  constructor(
    readonly objectsDir: string,
    /** Objects known to hash right (a project keeps them with its scratch, `.dvcts/tmp/verified`). */
    private readonly verified: VerifiedObjects = new VerifiedObjects(undefined),
  ) {}

  /** By concatenation: path.join (normalising) per object was a tenth of the CPU of a 10k-file add. */
  pathOf(id: ObjectId): string {
    return `${this.objectsDir}${sep}${id.slice(0, 2)}${sep}${id.slice(2)}`;
  }

  /** Size of the stored object, or undefined when it is absent. */
  async sizeOf(id: ObjectId): Promise<number | undefined> {
    try {
      return (await stat(this.pathOf(id))).size;
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') return undefined;
      throw e;
    }
  }

  async has(id: ObjectId): Promise<boolean> {
    return (await this.sizeOf(id)) !== undefined;
  }

  /**
   * The object's path after checking that it is a file of `size` bytes whose content hashes to
   * `id` (E_OBJECT_MISSING / E_OBJECT_CORRUPT otherwise; `workspacePath` names the file it is
   * for). An object verified before and unchanged since (see VerifiedObjects) costs one stat.
   * `verify: false` checks presence and size only, for an object that will not be read.
   */
  async requireObject(id: ObjectId, size: number, workspacePath: string, verify = true): Promise<string> {
    const path = this.pathOf(id);
    const stats = await stat(path).catch((e: unknown) => {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') throw objectMissingError(id, workspacePath);
      return rethrowSystemError(e, path, 'read cache object');
    });
    if (!stats.isFile()) throw objectNotAFileError(id, path);
    if (stats.size !== size) throw objectCorruptError(id, path, size, stats.size);
    if (!verify || (await this.verified.has(id, stats))) return path;
    const digest = await hashFile(path, size).catch((e: unknown) => rethrowSystemError(e, path, 'read cache object'));
    if (digest.id !== id) throw objectContentError(id, path, digest.id, size);
    await this.verified.add(id, stats);
    return path;
  }

  /**
   * Runs `link`, which may hard-link the object (changing its inode's ctime, not its bytes), and
   * keeps the object's verified mark if it had one.
   */
  async keepVerifiedAcross<T>(id: ObjectId, link: () => Promise<T>): Promise<T> {
    const path = this.pathOf(id);
    const before = await stat(path).catch(() => undefined);
    const wasVerified = before !== undefined && (await this.verified.has(id, before));
    const result = await link();
    const after = wasVerified ? await stat(path).catch(() => undefined) : undefined;
    if (after !== undefined && after.ino === before!.ino) await this.verified.add(id, after);
    return result;
  }

  /**
   * Stores the file at `src`, whose id was found to be `id`, unless that object is there already
   * (dedupe). The file is read again and hashed as it is stored, so the object's bytes are
   * exactly the bytes hashed: if they turn out to have another id (the file changed without its
   * stamp showing it, or the state cache was wrong), they are stored under that id instead, which
   * is returned. `hashedStamp` is stampOf() the stat taken when `id` was computed: a file that
   * changed since is not stored (E_FILE_CHANGED).
   */
  async putFile(id: ObjectId, src: string, hashedStamp: string): Promise<ObjectId> {
    if (await this.has(id)) return id;
    return (await this.putFileHashing(src, hashedStamp)).id;
  }

  /**
   * Hashes the file at `src` and stores it in the same pass: each chunk read for hashing is also
   * written to a temp object, so the file is read once (a 1 GiB add costs one read, not a read
   * to hash and another to copy). The id is known only at the end, so the temp file is written
   * in a random fan-out folder (same filesystem: the final rename is still atomic, and fsck's
   * sweep of `.tmp-*` files finds leftovers there). `stamp` is stampOf() the stat taken before:
   * a file that changed meanwhile is not stored (E_FILE_CHANGED). The stored object is recorded
   * as verified: its bytes are the ones just hashed. A small file is read in one go (putSmallSync),
   * a large one copied by a worker thread (copy-hashing.ts).
   */
  async putFileHashing(src: string, stamp: string): Promise<FileDigest> {
    let small;
    try {
      small = readSmallFileSync(src);
    } catch (e) {
      return rethrowSystemError(e, src, 'store in the cache');
    }
    if (small.bytes !== undefined) {
      if (stampOf(small.stats) !== stamp) throw fileChangedError(src);
      this.putSmallSync(small.id, small.bytes);
      return { id: small.id, size: small.bytes.length };
    }
    const staging = await this.ensureFanoutDir(randomBytes(1).toString('hex'));
    const tmp = tempPathBeside(join(staging, 'incoming'));
    try {
      const out = await open(tmp, 'wx', OBJECT_MODE);
      let digest: FileDigest;
      try {
        digest = small.stats.size >= COPY_WORKER_MIN_SIZE ? await copyHashingFrom(src, out) : await hashFileStreaming(src, (chunk, position) => writeInPieces(out, chunk, position));
        await out.chmod(OBJECT_MODE); // exact mode whatever the umask
      } finally {
        await out.close();
      }
      if (stampOf(await stat(src)) !== stamp) throw fileChangedError(src);
      // Same content stored before (dedupe): the fresh copy is not needed.
      if (await this.has(digest.id)) {
        await rm(tmp, { force: true });
      } else {
        const dest = await this.prepare(digest.id);
        await rename(tmp, dest);
        await this.verified.add(digest.id, await stat(dest));
      }
      return digest;
    } catch (e) {
      await rm(tmp, { force: true });
      return rethrowSystemError(e, src, 'store in the cache');
    }
  }

  /** Stores bytes in memory (a manifest) under `id`, which the caller computed from them. */
  async putBytes(id: ObjectId, data: string | Uint8Array): Promise<void> {
    if (await this.has(id)) return;
    const dest = await this.prepare(id);
    try {
      await writeFileAtomic(dest, data, OBJECT_MODE);
      await this.verified.add(id, await stat(dest));
    } catch (e) {
      rethrowSystemError(e, dest, 'write cache object');
    }
  }

  /**
   * The fan-out folders (`ab`) changed at or after `sinceMs` (an object added, renamed or removed
   * in them), or missing: 256 stats. With a 1 s margin, as file times come from a coarser clock.
   */
  fanoutsChangedSince(sinceMs: number): Set<string> {
    const changed = new Set<string>();
    for (let i = 0; i < 256; i++) {
      const prefix = i.toString(16).padStart(2, '0');
      const stats = statSync(`${this.objectsDir}${sep}${prefix}`, { throwIfNoEntry: false });
      if (stats === undefined || stats.mtimeMs >= sinceMs - 1000) changed.add(prefix);
    }
    return changed;
  }

  /** Whether the object is stored: one syscall, no promise (the many-files loops ask it per file). */
  hasSync(id: ObjectId): boolean {
    return existsSync(this.pathOf(id));
  }

  /**
   * Stores bytes already hashed to `id` (a small file just read) unless the object is there:
   * temp file, then rename, all synchronous (see yield.ts for why many small files go sync).
   */
  putSmallSync(id: ObjectId, bytes: Uint8Array): void {
    const prefix = id.slice(0, 2);
    const name = id.slice(2);
    const dir = this.ensureFanoutDirSync(prefix);
    const dest = `${dir}${sep}${name}`;
    // In a fan-out folder this process created and only this method wrote to, the objects are
    // those it remembers writing: a first add into an empty store looks for an object (one
    // syscall) only when it may have written it already. Another process writing there meanwhile
    // could at worst see its object replaced, atomically, by the same bytes.
    if (this.createdDirs.has(prefix) ? this.writtenSmall.mayHave(id) && existsSync(dest) : existsSync(dest)) return;
    const tmp = `${dir}${sep}${sequentialTempName(name)}`;
    try {
      writeReadOnlySync(tmp, bytes);
      renameSync(tmp, dest);
    } catch (e) {
      rmSync(tmp, { force: true });
      rethrowSystemError(e, dest, 'write cache object');
    }
    if (this.createdDirs.has(prefix)) this.writtenSmall.add(id);
  }

  /**
   * A temp file in the store for content whose id is known only once it is written (a streamed
   * manifest): write to `fd`, close it, then `adoptTemp`.
   */
  openTempSync(): { fd: number; tmp: string } {
    const staging = this.ensureFanoutDirSync(randomBytes(1).toString('hex'));
    const tmp = sequentialTempPath(join(staging, 'incoming'));
    return { fd: openSync(tmp, 'wx', OBJECT_MODE), tmp };
  }

  /** Moves a complete temp file from openTempSync to the object `id` (or drops it: already stored). */
  adoptTempSync(tmp: string, id: ObjectId): void {
    if (this.hasSync(id)) {
      rmSync(tmp, { force: true });
      return;
    }
    chmodSync(tmp, OBJECT_MODE);
    this.ensureFanoutDirSync(id.slice(0, 2));
    this.createdDirs.delete(id.slice(0, 2)); // an object putSmallSync does not know of
    renameSync(tmp, this.pathOf(id));
  }

  /**
   * Reads a folder manifest object and checks that its bytes hash to its id (a manifest with two
   * ids swapped would swap two files' contents); E_OBJECT_MISSING names `workspacePath`.
   */
  async readManifestText(id: ObjectId, workspacePath: string): Promise<string> {
    return (await this.readManifestBytes(id, workspacePath)).toString('utf8');
  }

  /** A manifest's bytes, checked against its id. */
  async readManifestBytes(id: ObjectId, workspacePath: string): Promise<Buffer> {
    const path = this.pathOf(id);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (e) {
      if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') throw objectMissingError(id, workspacePath);
      if (errnoOf(e) === 'EISDIR') throw objectNotAFileError(id, path);
      return rethrowSystemError(e, path, 'read cache object');
    }
    const actual = `${await hashBytes(bytes)}.dir`;
    if (actual !== id) throw objectContentError(id, path, actual);
    return bytes;
  }

  flush(): Promise<void> {
    return this.verified.flush();
  }

  /** The object's final path, after creating its fan-out folder. */
  private async prepare(id: ObjectId): Promise<string> {
    await this.ensureFanoutDir(id.slice(0, 2));
    this.createdDirs.delete(id.slice(0, 2)); // an object putSmallSync does not know of
    return this.pathOf(id);
  }

  private ensureFanoutDirSync(prefix: string): string {
    const known = this.knownDirs.get(prefix);
    if (known !== undefined) return known;
    const dir = join(this.objectsDir, prefix);
    try {
      if (mkdirSync(dir, { recursive: true }) !== undefined) this.createdDirs.add(prefix);
    } catch (e) {
      rethrowSystemError(e, dir, 'create cache folder');
    }
    this.knownDirs.set(prefix, dir);
    return dir;
  }

  private async ensureFanoutDir(prefix: string): Promise<string> {
    const known = this.knownDirs.get(prefix);
    if (known !== undefined) return known;
    const dir = join(this.objectsDir, prefix);
    await mkdir(dir, { recursive: true }).catch((e: unknown) => rethrowSystemError(e, dir, 'create cache folder'));
    this.knownDirs.set(prefix, dir);
    return dir;
  }
}

/** A large file copied to `out` and hashed, its I/O on a worker thread (copy-hashing.ts). */
async function copyHashingFrom(src: string, out: FileHandle): Promise<FileDigest> {
  const input = await open(src, 'r');
  try {
    return await copyHashing(input, out, OBJECT_WRITE_PIECE);
  } finally {
    await input.close();
  }
}

/** Writes all of `bytes` at `position`, OBJECT_WRITE_PIECE at a time, in order. */
async function writeInPieces(out: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let at = 0; at < bytes.length; ) {
    const { bytesWritten } = await out.write(bytes, at, Math.min(OBJECT_WRITE_PIECE, bytes.length - at), position + at);
    at += bytesWritten; // a short write is followed by the rest (or by the error that caused it)
  }
}

/**
 * Whether files created with mode 0o444 get exactly that mode (no umask bits removed from it):
 * learnt from the first object written, so later ones skip the fchmod.
 */
let createModeExact: boolean | undefined;

// 'wx' as numbers: a string flag is parsed on every open.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

function writeReadOnlySync(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, CREATE_NEW, OBJECT_MODE);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    createModeExact ??= (fstatSync(fd).mode & 0o777) === OBJECT_MODE;
    if (!createModeExact) fchmodSync(fd, OBJECT_MODE); // exact mode whatever the umask
  } finally {
    closeSync(fd);
  }
}
