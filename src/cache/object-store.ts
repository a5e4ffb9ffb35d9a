import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { replaceAtomic, writeFileAtomic } from './atomic.js';
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

  pathOf(id: ObjectId): string {
    return join(this.objectsDir, id.slice(0, 2), id.slice(2));
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
        if (stampOf(await stat(src, { bigint: true })) !== hashedStamp) throw fileChangedError(src);
        await chmod(tmp, OBJECT_MODE);
      });
    } catch (e) {
      rethrowPermission(e, dest, 'write cache object');
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

  /** Reads a (small) object such as a manifest; E_OBJECT_MISSING names `workspacePath`. */
  async readText(id: ObjectId, workspacePath: string): Promise<string> {
    try {
      return await readFile(this.pathOf(id), 'utf8');
    } catch (e) {
      if (errnoOf(e) === 'ENOENT') throw objectMissingError(id, workspacePath);
      throw e;
    }
  }

  private async prepare(id: ObjectId): Promise<string> {
    const dest = this.pathOf(id);
    const dir = join(this.objectsDir, id.slice(0, 2));
    if (!this.knownDirs.has(dir)) {
      await mkdir(dir, { recursive: true }).catch((e: unknown) => rethrowPermission(e, dir, 'create cache folder'));
      this.knownDirs.add(dir);
    }
    return dest;
  }
}
