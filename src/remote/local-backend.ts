import { constants, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod, copyFile, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { tempPathBeside } from '../util/atomic-write.js';
import { trackTemp, untrackTemp } from '../util/tracked-temps.js';
import type { ByteCounter, RemoteBackend, RemoteEntry } from './backend.js';
import { remoteIoError, unreachableError } from './errors.js';
import type { LocalRemoteSpec } from './spec.js';

/** Remote objects are immutable, like cache objects. */
const OBJECT_MODE = 0o444;
/** Files up to this size are moved with synchronous calls: one libuv round trip each would cost more than the copy. */
const SYNC_LIMIT = 1024 * 1024;

/**
 * A remote in a folder (a mounted share, another disk): keys are paths below it. A key appears
 * only by rename of a complete temp file (`.tmp-…`, never listed) in its own folder, so a killed
 * push leaves no half-written object behind a valid name.
 */
export class LocalBackend implements RemoteBackend {
  readonly name: string;
  readonly location: string;
  readonly pageSize = Number.MAX_SAFE_INTEGER; // a folder is listed in one call
  private readonly knownDirs = new Set<string>();

  constructor(private readonly spec: LocalRemoteSpec) {
    this.name = spec.name;
    this.location = spec.location;
  }

  private pathOf(key: string): string {
    return join(this.spec.path, key);
  }

  async prepareWrite(): Promise<void> {
    try {
      mkdirSync(this.spec.path, { recursive: true });
    } catch (e) {
      throw this.failure(e, `create folder '${this.spec.path}'`);
    }
  }

  async *list(prefix: string): AsyncIterable<readonly RemoteEntry[]> {
    const pending = [prefix];
    while (pending.length > 0) {
      const folder = pending.pop()!;
      let names: string[];
      try {
        names = readdirSync(this.pathOf(folder));
      } catch (e) {
        if (errno(e) === 'ENOENT' || errno(e) === 'ENOTDIR') {
          this.requireRoot();
          continue;
        }
        throw this.failure(e, `list '${folder}'`);
      }
      const page: RemoteEntry[] = [];
      for (const name of names.sort()) {
        if (name.startsWith('.')) continue; // temp files of writes in progress or killed
        const key = folder + name;
        const stats = statSync(this.pathOf(key), { throwIfNoEntry: false });
        if (stats?.isDirectory()) pending.push(`${key}/`);
        else if (stats?.isFile()) page.push({ key, size: stats.size, modifiedMs: stats.mtimeMs });
      }
      yield page;
    }
  }

  async exists(key: string): Promise<boolean> {
    if (statSync(this.pathOf(key), { throwIfNoEntry: false })?.isFile()) return true;
    this.requireRoot();
    return false;
  }

  async read(key: string): Promise<Uint8Array | undefined> {
    try {
      return readFileSync(this.pathOf(key));
    } catch (e) {
      if (errno(e) !== 'ENOENT') throw this.failure(e, `read '${key}'`);
      this.requireRoot();
      return undefined;
    }
  }

  async download(key: string, dest: string, onBytes?: ByteCounter): Promise<boolean> {
    try {
      // FICLONE: a reflink where the filesystem can, else a plain copy. EXCL: `dest` is a fresh
      // temp file, and without EXCL libuv truncates it, which on ext4 costs a flush at close.
      await copyFile(this.pathOf(key), dest, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
    } catch (e) {
      if (errno(e) !== 'ENOENT' || statSync(dirname(dest), { throwIfNoEntry: false }) === undefined) throw this.failure(e, `read '${key}'`);
      this.requireRoot();
      return false;
    }
    onBytes?.((await stat(dest)).size);
    return true;
  }

  async write(key: string, data: Uint8Array): Promise<void> {
    const path = this.pathOf(key);
    const tmp = this.tempFor(path);
    try {
      writeFileSync(tmp, data, { mode: OBJECT_MODE, flag: 'wx' });
      renameSync(tmp, path);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw this.failure(e, `write '${key}'`);
    } finally {
      untrackTemp(tmp);
    }
  }

  async upload(key: string, src: string, size: number, onBytes?: ByteCounter): Promise<void> {
    if (size <= SYNC_LIMIT) {
      await this.write(key, readFileSync(src));
      onBytes?.(size);
      return;
    }
    const path = this.pathOf(key);
    const tmp = this.tempFor(path);
    try {
      await copyFile(src, tmp, constants.COPYFILE_FICLONE | constants.COPYFILE_EXCL);
      await chmod(tmp, OBJECT_MODE);
      await rename(tmp, path);
    } catch (e) {
      await rm(tmp, { force: true });
      throw this.failure(e, `write '${key}'`);
    } finally {
      untrackTemp(tmp);
    }
    onBytes?.(size);
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (const key of keys) {
      try {
        rmSync(this.pathOf(key), { force: true });
      } catch (e) {
        throw this.failure(e, `remove '${key}'`);
      }
    }
  }

  async sweepIncomplete(olderThanMs: number): Promise<number> {
    let swept = 0;
    const now = Date.now();
    const pending = [this.spec.path];
    while (pending.length > 0) {
      const dir = pending.pop()!;
      const dirents = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const d of dirents) {
        const path = join(dir, d.name);
        if (d.isDirectory()) pending.push(path);
        else if (d.name.startsWith('.tmp-') && now - (await stat(path)).mtimeMs >= olderThanMs) {
          await rm(path, { force: true });
          swept++;
        }
      }
    }
    return swept;
  }

  close(): void {}

  /** A new tracked temp path beside `path`, after creating its folder (the remote's own folder too). */
  private tempFor(path: string): string {
    const dir = dirname(path);
    if (!this.knownDirs.has(dir)) {
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        throw this.failure(e, `create folder '${dir}'`);
      }
      this.knownDirs.add(dir);
    }
    const tmp = tempPathBeside(path);
    trackTemp(tmp); // removed on Ctrl-C
    return tmp;
  }

  /** Reading from a remote whose folder is gone is a configuration problem, not "no objects". */
  private requireRoot(): void {
    if (!statSync(this.spec.path, { throwIfNoEntry: false })?.isDirectory()) {
      throw unreachableError(this, `folder '${this.spec.path}' does not exist (is the share mounted?)`);
    }
  }

  private failure(e: unknown, action: string): Error {
    const code = errno(e);
    if (code === undefined) return e as Error;
    const why = code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'no space left on the device' : (e as Error).message;
    return remoteIoError(this, action, why, e);
  }
}

function errno(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}
