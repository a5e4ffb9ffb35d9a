import { statSync, type BigIntStats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { errnoOf, rethrowPermission } from './errors.js';
import { HASH_PARALLELISM, hashFile } from './hash.js';
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
  knownId(absPath: string, stats: BigIntStats): ObjectId | undefined {
    return this.state.lookup(this.stateKey(absPath), stampOf(stats));
  }

  remember(absPath: string, stats: BigIntStats, id: ObjectId): void {
    this.state.record(this.stateKey(absPath), stampOf(stats), id);
  }

  async hashFile(absPath: string, known?: BigIntStats): Promise<HashedFile> {
    const stats = known ?? (await stat(absPath, { bigint: true }));
    return this.hashKeyed(this.stateKey(absPath), absPath, stampOf(stats), Number(stats.size));
  }

  private async hashKeyed(key: string, absPath: string, stamp: string, size: number): Promise<HashedFile> {
    const cached = this.state.lookup(key, stamp);
    if (cached !== undefined) return { id: cached, size, stamp };
    const digest = await hashFile(absPath, size).catch((e: unknown) => rethrowPermission(e, absPath, 'read'));
    // A size that moved while reading means a writer is busy: use the id, but do not trust it later.
    if (digest.size === size) this.state.record(key, stamp, digest.id);
    return { id: digest.id, size: digest.size, stamp };
  }

  async hashDir(absPath: string): Promise<HashedDir> {
    const walked = await walkFiles(absPath, this.allowSymlink);
    const dirKey = this.stateKey(absPath);
    // This loop is the whole cost of a no-op status: sync stats (see yield.ts), keys built by
    // concatenation (path.relative per file costs as much as the stat), no per-file promises.
    const files: DirFile[] = [];
    const unknown: DirFile[] = [];
    const yielder = makeYielder();
    for (const { relPath, absPath: fileAbs } of walked) {
      const stats = statSync(fileAbs, { bigint: true });
      const key = dirKey === '' ? relPath : `${dirKey}/${relPath}`;
      const stamp = stampOf(stats);
      const id = this.state.lookup(key, stamp);
      const file: DirFile = { relPath, absPath: fileAbs, key, stamp, size: Number(stats.size), id: id ?? ('' as ObjectId) };
      files.push(file);
      if (id === undefined) unknown.push(file);
      await yielder.tick();
    }
    // Large unknown files are read a few at a time (each holds a 4 MiB buffer).
    await mapLimit(unknown, HASH_PARALLELISM, async (file) => {
      const hashed = await this.hashKeyed(file.key, file.absPath, file.stamp, file.size);
      file.id = hashed.id;
      file.size = hashed.size;
    });
    const manifest = serializeManifest(files.map((f) => ({ path: f.relPath, id: f.id, size: f.size })));
    const size = files.reduce((sum, f) => sum + f.size, 0);
    return { id: await manifestId(manifest), manifest, files, size };
  }
}

interface DirFile {
  readonly relPath: string;
  readonly absPath: string;
  readonly key: string;
  readonly stamp: string;
  id: ObjectId;
  size: number;
}

/** stat (following symlinks) that answers undefined for a missing path. */
export async function statIfExists(absPath: string): Promise<BigIntStats | undefined> {
  try {
    return await stat(absPath, { bigint: true });
  } catch (e) {
    if (errnoOf(e) === 'ENOENT' || errnoOf(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}
