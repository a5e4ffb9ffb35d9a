import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, existsSync, fchmodSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { chmod, copyFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { replaceAtomic, sequentialTempPath, tempPathBeside, writeFileAtomic } from './atomic.js';
import { hashFileStreaming, type FileDigest } from './hash.js';
import { stampOf } from './state.js';
import { errnoOf, fileChangedError, objectCorruptError, objectMissingError, rethrowPermission } from './errors.js';

/** Objects are immutable once stored: read-only for everyone, so a stray write fails loudly. */
export const OBJECT_MODE = 0o444;

/**
 * The content-addressed object store: `<objectsDir>/ab/cdef…` (first two hex chars fan out the
 * folders; a manifest keeps its ".dir" suffix). An object appears under its final name only by
 * rename of a complete temp file in the same folder, so a SIGKILL never leaves a partial object.
 */
export class ObjectStore {
  private readonly knownDirs = new Set<string>();

  constructor(readonly objectsDir: string) {}

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
   * The object's path after checking it exists and has `size` bytes (a cheap guard against
   * truncated objects; full re-hashing is fsck's job). `workspacePath` names the file it is for.
   */
  async requireObject(id: ObjectId, size: number, workspacePath: string): Promise<string> {
    const actual = await this.sizeOf(id);
    if (actual === undefined) throw objectMissingError(id, workspacePath);
    if (actual !== size) throw objectCorruptError(id, this.pathOf(id), size, actual);
    return this.pathOf(id);
  }

  /**
   * Stores the file at `src` as `id` unless already there (dedupe). `hashedStamp` is stampOf()
   * the stat taken when the id was computed: if the file changed since, the copy is thrown away
   * (E_FILE_CHANGED) instead of storing bytes under an id they do not have.
   */
  async putFile(id: ObjectId, src: string, hashedStamp: string): Promise<void> {
    if (await this.has(id)) return;
    const dest = await this.prepare(id);
    try {
      await replaceAtomic(dest, async (tmp) => {
        // FICLONE (not _FORCE): a reflink where the filesystem can, a plain copy elsewhere.
        await copyFile(src, tmp, constants.COPYFILE_FICLONE);
        if (stampOf(await stat(src)) !== hashedStamp) throw fileChangedError(src);
        await chmod(tmp, OBJECT_MODE);
      });
    } catch (e) {
      rethrowPermission(e, dest, 'write cache object');
    }
  }

  /**
   * Hashes the file at `src` and stores it in the same pass: each chunk read for hashing is also
   * written to a temp object, so the file is read once (a 1 GiB add costs one read, not a read
   * to hash and another to copy). The id is known only at the end, so the temp file is written
   * in a random fan-out folder (same filesystem: the final rename is still atomic, and fsck's
   * sweep of `.tmp-*` files finds leftovers there). `stamp` is stampOf() the stat taken before:
   * a file that changed meanwhile is not stored (E_FILE_CHANGED).
   */
  async putFileHashing(src: string, stamp: string): Promise<FileDigest> {
    const staging = await this.ensureFanoutDir(randomBytes(1).toString('hex'));
    const tmp = tempPathBeside(join(staging, 'incoming'));
    try {
      const out = await open(tmp, 'wx', OBJECT_MODE);
      let digest: FileDigest;
      try {
        digest = await hashFileStreaming(src, (chunk, position) => out.write(chunk, 0, chunk.length, position));
        await out.chmod(OBJECT_MODE); // exact mode whatever the umask
      } finally {
        await out.close();
      }
      if (stampOf(await stat(src)) !== stamp) throw fileChangedError(src);
      // Same content stored before (dedupe): the fresh copy is not needed.
      if (await this.has(digest.id)) await rm(tmp, { force: true });
      else await rename(tmp, await this.prepare(digest.id));
      return digest;
    } catch (e) {
      await rm(tmp, { force: true });
      return rethrowPermission(e, src, 'store in the cache');
    }
  }

  async putBytes(id: ObjectId, data: string | Uint8Array): Promise<void> {
    if (await this.has(id)) return;
    const dest = await this.prepare(id);
    try {
      await writeFileAtomic(dest, data, OBJECT_MODE);
    } catch (e) {
      rethrowPermission(e, dest, 'write cache object');
    }
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
    const dest = this.pathOf(id);
    if (existsSync(dest)) return;
    this.ensureFanoutDirSync(id.slice(0, 2));
    const tmp = sequentialTempPath(dest);
    try {
      writeReadOnlySync(tmp, bytes);
      renameSync(tmp, dest);
    } catch (e) {
      rmSync(tmp, { force: true });
      rethrowPermission(e, dest, 'write cache object');
    }
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
    renameSync(tmp, this.pathOf(id));
  }

  /** Reads a (small) object such as a manifest; E_OBJECT_MISSING names `workspacePath`. */
  async readText(id: ObjectId, workspacePath: string): Promise<string> {
    try {
      return await readFile(this.pathOf(id), 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') throw objectMissingError(id, workspacePath);
      throw e;
    }
  }

  /** The object's final path, after creating its fan-out folder. */
  private async prepare(id: ObjectId): Promise<string> {
    await this.ensureFanoutDir(id.slice(0, 2));
    return this.pathOf(id);
  }

  private ensureFanoutDirSync(prefix: string): string {
    const dir = join(this.objectsDir, prefix);
    if (!this.knownDirs.has(dir)) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        rethrowPermission(e, dir, 'create cache folder');
      }
      this.knownDirs.add(dir);
    }
    return dir;
  }

  private async ensureFanoutDir(prefix: string): Promise<string> {
    const dir = join(this.objectsDir, prefix);
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true }).catch((e: unknown) => rethrowPermission(e, dir, 'create cache folder'));
      this.knownDirs.add(dir);
    }
    return dir;
  }
}

/**
 * Whether files created with mode 0o444 get exactly that mode (no umask bits removed from it):
 * learnt from the first object written, so later ones skip the fchmod.
 */
let createModeExact: boolean | undefined;

function writeReadOnlySync(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, 'wx', OBJECT_MODE);
  try {
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    createModeExact ??= (fstatSync(fd).mode & 0o777) === OBJECT_MODE;
    if (!createModeExact) fchmodSync(fd, OBJECT_MODE); // exact mode whatever the umask
  } finally {
    closeSync(fd);
  }
}
