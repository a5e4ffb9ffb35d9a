import { statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { errnoOf, rethrowSystemError } from './errors.js';
import { SMALL_FILE_LIMIT, hashFile, hashSmallFileSync } from './hash.js';
import { DirStamps, StampDigest, type StampFields } from './dir-stamps.js';
import { ManifestStream } from './manifest.js';
import { PhaseMeter, type CacheActivity, type CachePhase } from './activity.js';
import { stampOf, type StateCache } from './state.js';
import { walkSorted, type SortedFile } from './sorted-walk.js';
import type { SymlinkPolicy } from './walk.js';

export interface HashedFile {
  readonly id: ObjectId;
  readonly size: number;
  /** stampOf() the stat the id belongs to (followed through a symlink into the cache). */
  readonly stamp: string;
}

/** A relative posix path that path.relative would change: empty, ".", "..", "//" or a trailing "/". */
const NOT_NORMALISED = /^$|(^|\/)\.\.?(\/|$)|\/\/|\/$/;

/** Hashes workspace paths, asking the state cache first and teaching it what it hashed. */
export class WorkspaceHasher {
  private readonly rootPrefix: string;

  constructor(
    private readonly root: string,
    private readonly state: StateCache,
    private readonly dirStamps: DirStamps,
    readonly allowSymlink: SymlinkPolicy,
    private readonly activity?: CacheActivity,
  ) {
    this.rootPrefix = root.endsWith(sep) ? root : root + sep;
  }

  /** State keys are root-relative posix paths (compact, survive moving the project). */
  stateKey(absPath: string): string {
    // A normalised path under the root is its own key after the prefix: no path.relative (which
    // resolves both paths against the working directory) for each of 64k paths of a status.
    if (sep === '/' && absPath.startsWith(this.rootPrefix)) {
      const rest = absPath.slice(this.rootPrefix.length);
      if (!NOT_NORMALISED.test(rest)) return rest;
    }
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

  private async hashKeyed(key: string, absPath: string, stamp: string, size: number): Promise<HashedFile> {
    const cached = this.state.lookup(key, stamp);
    if (cached !== undefined) return { id: cached, size, stamp };
    const digest = await hashFile(absPath, size).catch((e: unknown) => rethrowSystemError(e, absPath, 'read'));
    // A size that moved while reading means a writer is busy: use the id, but do not trust it later.
    if (digest.size === size) this.state.record(key, stamp, digest.id);
    return { id: digest.id, size: digest.size, stamp };
  }

  /**
   * Id, size and file count of a directory, as `status` needs them: one sorted walk, one stat per
   * file the state cache knows, a read only of files it does not know, and the manifest hashed as
   * it streams by (never held: see ManifestStream).
   */
  async summarizeDir(absPath: string): Promise<DirSummary> {
    const dirKey = this.stateKey(absPath);
    if (this.dirStamps.has(dirKey)) {
      const known = this.dirStamps.lookup(dirKey, await this.stampDigestOf(absPath, dirKey));
      if (known !== undefined) return known;
    }
    return this.passDir(absPath, 'hashing', (file, key) => this.currentFile(file.absPath, key));
  }

  /** The stamp digest of a directory as it is now (see dir-stamps.ts): a walk and one stat per file. */
  private async stampDigestOf(absPath: string, dirKey: string): Promise<string> {
    const digest = new StampDigest();
    const meter = new PhaseMeter(this.activity, 'hashing', dirKey, undefined);
    try {
      await walkSorted(absPath, this.allowSymlink, (file) => {
        meter.check();
        const stats = statSync(file.absPath);
        digest.add(file.relPath, file.isLink, stats);
        meter.step(stats.size);
      });
    } finally {
      meter.end();
    }
    return digest.finish();
  }

  /**
   * Walks a directory in manifest order; `resolve` gives each file's id and size (sync for what
   * the state cache knows and for small files, a promise for a large one), and the manifest is
   * hashed as it goes. Progress counts files as `phase` (the total is not known: the walk is not
   * listed first), and the activity's signal stops the walk between files.
   */
  private async passDir(
    absPath: string,
    phase: CachePhase,
    resolve: (file: SortedFile, key: string) => FileIdentity | Promise<FileIdentity>,
  ): Promise<DirSummary> {
    const dirKey = this.stateKey(absPath);
    const manifest = new ManifestStream();
    // Stamps are digested on the way (cheap next to the stats) so that the next status can skip
    // this pass; only when every id was trusted under its stamp.
    const stamps = new StampDigest();
    let allTrusted = true;
    const meter = this.meter(phase, dirKey);
    const add = (relPath: string, isLink: boolean, f: FileIdentity): void => {
      manifest.add(relPath, f.id, f.size);
      if (f.trustedAt === undefined) allTrusted = false;
      else stamps.add(relPath, isLink, f.trustedAt);
      meter.step(f.size);
    };
    try {
      await walkSorted(absPath, this.allowSymlink, (file) => {
        meter.check();
        // Keys by concatenation: path.relative per file costs as much as the stat of a no-op status.
        const key = dirKey === '' ? file.relPath : `${dirKey}/${file.relPath}`;
        const found = resolve(file, key);
        if (!(found instanceof Promise)) return add(file.relPath, file.isLink, found);
        const { relPath, isLink } = file; // the walk reuses `file` for the next one
        return found.then((f) => add(relPath, isLink, f));
      });
    } finally {
      meter.end();
    }
    const summary = { id: manifest.finish(), size: manifest.size, nfiles: manifest.count };
    if (allTrusted) this.dirStamps.record(dirKey, stamps.finish(), summary);
    return summary;
  }

  /** The id of a workspace file as it is now: one stat when the state cache knows it, else a read. */
  currentFile(absPath: string, key: string): FileIdentity | Promise<FileIdentity> {
    const stats = statSync(absPath);
    const stamp = stampOf(stats);
    const known = this.state.lookup(key, stamp);
    if (known !== undefined) return { id: known, size: stats.size, trustedAt: stats };
    const small = stats.size <= SMALL_FILE_LIMIT ? hashSmallFileSync(absPath) : undefined;
    if (small === undefined) {
      return this.hashKeyed(key, absPath, stamp, stats.size).then((f) => (f.size === stats.size ? { id: f.id, size: f.size, trustedAt: stats } : f));
    }
    // A size that moved since the stat means a writer is busy: use the id, but do not trust it later.
    if (small.size !== stats.size) return small;
    this.state.record(key, stamp, small.id);
    return { ...small, trustedAt: stats };
  }

  /** Whether the state cache holds anything for `key` (else a stat cannot save a read). */
  knowsKey(key: string): boolean {
    return this.state.has(key);
  }

  /** Records the stamp digest a directory had when its summary was computed from trusted ids. */
  rememberStamps(dirKey: string, digest: string, summary: DirSummary): void {
    this.dirStamps.record(dirKey, digest, summary);
  }

  /** Counts files of a phase over a directory against the activity (progress, Ctrl-C). */
  meter(phase: CachePhase, dirKey: string): PhaseMeter {
    return new PhaseMeter(this.activity, phase, dirKey, undefined);
  }

  lookupKeyed(key: string, stamp: string): ObjectId | undefined {
    return this.state.lookup(key, stamp);
  }

  recordKeyed(key: string, stamp: string, id: ObjectId): void {
    this.state.record(key, stamp, id);
  }
}

/** A file's content id and size in bytes. */
export interface FileIdentity {
  readonly id: ObjectId;
  readonly size: number;
  /** The stat the id is trusted under (recorded in the state cache); absent when a writer was busy. */
  readonly trustedAt?: StampFields;
}

export interface DirSummary {
  readonly id: ObjectId;
  readonly size: number;
  readonly nfiles: number;
}

/**
 * stat (following symlinks) that answers undefined for a missing path. Synchronous: a status of
 * 32k stages asks it for 64k paths, and an async stat (a thread-pool round trip, and an Error
 * object for every missing output) cost ten times the syscall.
 */
export async function statIfExists(absPath: string): Promise<Stats | undefined> {
  return statSyncIfExists(absPath);
}

export function statSyncIfExists(absPath: string): Stats | undefined {
  try {
    return statSync(absPath, { throwIfNoEntry: false });
  } catch (e) {
    if (errnoOf(e) === 'ENOTDIR') return undefined;
    throw e;
  }
}
