import { closeSync, rmSync, statSync, type Stats } from 'node:fs';
import type { ObjectId } from '../core/ids.js';
import type { PhaseMeter } from './activity.js';
import { StampDigest } from './dir-stamps.js';
import { SMALL_FILE_LIMIT, readSmallFileSync } from './hash.js';
import { ManifestStream } from './manifest.js';
import { everyLineId } from './manifest-table.js';
import type { ObjectStore } from './object-store.js';
import { walkSorted, type SortedFile } from './sorted-walk.js';
import { stampOf } from './state.js';
import { endsRun, type StoredFolder, type StoredRun, type StoredRuns } from './stored-runs.js';
import type { DirSummary, FileIdentity, WorkspaceHasher } from './workspace-hasher.js';

export interface StoreDirOptions {
  /** Hears of every file (e.g. to relink it); a folder stored with it copies no manifest lines. */
  readonly stored?: (absPath: string, id: ObjectId) => void;
  /** Sees each file's path (relative to the folder) before it is stored; throws to refuse the folder. */
  readonly refuse?: (relPath: string) => void;
}

/**
 * Stores a directory in one sorted walk: a file the state cache knows costs a stat and a check
 * that its object exists; any other file is opened once (fstat, read, close), hashed, and the
 * same bytes written to the store, all synchronously (no promise per file: see yield.ts); a large
 * file is streamed (read once for both). The manifest is streamed into a temp file in the store
 * as it is hashed, and renamed to its id last: its presence promises that every file is stored.
 *
 * A re-add keeps that promise's worth: the folder's files are stat'ed in runs (stored-runs.ts),
 * and a run whose stamps are those its lines in the last stored manifest were written under
 * copies those lines, with no state-cache lookup or object check per file (only objects in
 * fan-out folders changed since, by gc or by hand, are checked). Other runs go file by file.
 */
export async function storeDir(hasher: WorkspaceHasher, store: ObjectStore, runs: StoredRuns, absPath: string, opts: StoreDirOptions = {}): Promise<DirSummary> {
  const dirKey = hasher.stateKey(absPath);
  const last = opts.stored === undefined ? await lastStored(store, runs.get(dirKey), absPath) : undefined;
  const { fd, tmp } = store.openTempSync();
  let folder: FolderStore;
  let summary: DirSummary;
  try {
    try {
      folder = new FolderStore(hasher, store, fd, last, opts);
      summary = await folder.walk(absPath, dirKey);
    } finally {
      closeSync(fd);
    }
    store.adoptTempSync(tmp, summary.id);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  runs.record(dirKey, { manifest: summary.id, storedAt: Date.now(), runs: folder.runs });
  return summary;
}

/** The folder's last stored manifest (verified against its id) and runs, if still usable. */
interface LastStored {
  readonly bytes: Buffer;
  readonly runs: ReadonlyMap<string, StoredRun>;
  /** Per two-hex-digit fan-out prefix (as a 16-bit char pair): 1 if that folder changed since. */
  readonly changed: Uint8Array;
  readonly anyChanged: boolean;
}

async function lastStored(store: ObjectStore, folder: StoredFolder | undefined, absPath: string): Promise<LastStored | undefined> {
  if (folder === undefined || !store.hasSync(folder.manifest)) return undefined;
  let bytes: Buffer;
  try {
    bytes = await store.readManifestBytes(folder.manifest, absPath); // only if they hash to its id
  } catch {
    return undefined; // damaged or unreadable: every run goes file by file
  }
  const changed = new Uint8Array(1 << 16);
  const fanouts = store.fanoutsChangedSince(folder.storedAt);
  for (const prefix of fanouts) changed[(prefix.charCodeAt(0) << 8) | prefix.charCodeAt(1)] = 1;
  return { bytes, runs: new Map(folder.runs.map((r) => [r.digest, r])), changed, anyChanged: fanouts.size > 0 };
}

interface PendingFile {
  readonly relPath: string;
  readonly absPath: string;
  readonly isLink: boolean;
  readonly key: string;
  readonly stats: Stats;
}

/** One storeDir pass: the manifest, the folder's stamps (dir-stamps.ts) and its runs, as files arrive. */
class FolderStore {
  readonly runs: StoredRun[] = [];
  private readonly manifest: ManifestStream;
  private meter: PhaseMeter | undefined;
  /** Stamps of the whole folder (for status), and of the run being written. */
  private readonly stamps = new StampDigest();
  private allTrusted = true;
  private readonly run = new StampDigest();
  private runTrusted = true;
  private runStart = 0;
  private runFiles = 0;
  private runBytes = 0;
  /** With a last manifest: the files of the run being stat'ed, and their stamps so far. */
  private pending: PendingFile[] = [];
  private readonly probe = new StampDigest();
  private rereadBudget = REHASH_BUDGET;

  constructor(
    private readonly hasher: WorkspaceHasher,
    private readonly store: ObjectStore,
    fd: number,
    private readonly last: LastStored | undefined,
    private readonly opts: StoreDirOptions,
  ) {
    this.manifest = new ManifestStream(fd);
  }

  async walk(absPath: string, dirKey: string): Promise<DirSummary> {
    this.meter = this.hasher.meter('storing', dirKey);
    try {
      await walkSorted(absPath, this.hasher.allowSymlink, (file) => {
        this.meter!.check();
        this.opts.refuse?.(file.relPath);
        // Keys by concatenation: path.relative per file costs as much as the stat of a no-op status.
        const key = dirKey === '' ? file.relPath : `${dirKey}/${file.relPath}`;
        if (this.last !== undefined) return this.stat(file, key);
        const found = this.storeFile(file, key, undefined);
        if (!(found instanceof Promise)) return this.add(file.relPath, file.isLink, found);
        const { relPath, isLink } = file; // the walk reuses `file` for the next one
        return found.then((f) => this.add(relPath, isLink, f));
      });
      if (this.pending.length > 0) await this.settle();
      if (this.runFiles > 0) this.endRun();
    } finally {
      this.meter!.end();
    }
    const summary = { id: this.manifest.finish(), size: this.manifest.size, nfiles: this.manifest.count };
    if (this.allTrusted) this.hasher.rememberStamps(dirKey, this.stamps.finish(), summary);
    return summary;
  }

  /** With a last manifest: a file joins the run being stat'ed, which is settled once it ends. */
  private stat(file: SortedFile, key: string): void | Promise<void> {
    const stats = statSync(file.absPath);
    this.pending.push({ relPath: file.relPath, absPath: file.absPath, isLink: file.isLink, key, stats });
    this.probe.add(file.relPath, file.isLink, stats);
    if (endsRun(file.relPath, this.pending.length)) return this.settle();
  }

  /** Copies the run's lines from the last manifest if they are still true, else stores its files one by one. */
  private settle(): void | Promise<void> {
    const files = this.pending;
    this.pending = [];
    const digest = this.probe.finish();
    const reused = this.last!.runs.get(digest);
    if (reused !== undefined && this.usable(reused, files.length)) {
      const offset = this.manifest.mark();
      this.manifest.appendLines(this.last!.bytes, reused.offset, reused.offset + reused.length, reused.files, reused.bytes, files[files.length - 1]!.relPath);
      this.runs.push({ ...reused, offset });
      this.runStart = offset + reused.length;
      for (const f of files) {
        this.stamps.add(f.relPath, f.isLink, f.stats);
        this.meter!.step(f.stats.size);
      }
      return;
    }
    // The small files of a changed run or two are read again rather than looked up: cheaper than
    // loading the state cache of the whole project (which then only learns their ids).
    let cost = 0;
    for (const f of files) cost += f.isLink ? REHASH_BUDGET : Math.max(f.stats.size, PAGE);
    const reread = cost <= this.rereadBudget;
    if (reread) this.rereadBudget -= cost;
    return this.storeEach(files, 0, !reread);
  }

  private storeEach(files: readonly PendingFile[], from: number, askState: boolean): void | Promise<void> {
    for (let i = from; i < files.length; i++) {
      const f = files[i]!;
      const found = this.storeFile(f, f.key, f.stats, askState);
      if (found instanceof Promise) {
        return found.then((identity) => {
          this.add(f.relPath, f.isLink, identity);
          return this.storeEach(files, i + 1, askState);
        });
      }
      this.add(f.relPath, f.isLink, found);
    }
  }

  /**
   * Whether a run's lines in the last manifest can be copied: they lie within it on whole lines,
   * list as many files as the run has, and every object they name in a fan-out folder that
   * changed since that manifest was stored is still there.
   */
  private usable(run: StoredRun, files: number): boolean {
    const { bytes, changed, anyChanged } = this.last!;
    const end = run.offset + run.length;
    if (run.files !== files || end > bytes.length || (run.offset > 0 && bytes[run.offset - 1] !== NEWLINE) || (run.length > 0 && bytes[end - 1] !== NEWLINE)) return false;
    if (!anyChanged) return true;
    return everyLineId(bytes, run.offset, end, (at) => changed[(bytes[at]! << 8) | bytes[at + 1]!] === 0 || this.store.hasSync(bytes.toString('latin1', at, at + 32) as ObjectId));
  }

  /** A file's id, stored: sync for what the state cache knows and for small files, a promise for a large one. */
  private storeFile(file: { absPath: string; isLink: boolean }, key: string, known: Stats | undefined, askState = true): FileIdentity | Promise<FileIdentity> {
    const { hasher, store } = this;
    let stats = known;
    if (askState && hasher.knowsKey(key)) {
      stats ??= statSync(file.absPath);
      const id = hasher.lookupKeyed(key, stampOf(stats));
      // A symlink made by the symlink link type points into the store: its object is there.
      if (id !== undefined && (file.isLink || store.hasSync(id))) return this.done(file.absPath, id, stats.size, stats);
    }
    // Unknown, or its object is gone: the bytes are read, hashed and stored in one go, so the
    // object holds exactly the bytes its id was computed from.
    if (stats === undefined || stats.size <= SMALL_FILE_LIMIT) {
      const read = readSmallFileSync(file.absPath);
      if (read.bytes !== undefined) {
        store.putSmallSync(read.id, read.bytes);
        // A size that moved since the stat means a writer is busy: store the id, do not trust it later.
        if (read.bytes.length !== read.stats.size) return this.done(file.absPath, read.id, read.bytes.length);
        hasher.recordKeyed(key, stampOf(read.stats), read.id);
        return this.done(file.absPath, read.id, read.bytes.length, read.stats);
      }
      stats = read.stats;
    }
    const { absPath: path } = file;
    const stamp = stampOf(stats);
    const size = stats.size;
    const trustedAt = stats;
    return store.putFileHashing(path, stamp).then((digest) => {
      if (digest.size !== size) return this.done(path, digest.id, digest.size);
      hasher.recordKeyed(key, stamp, digest.id);
      return this.done(path, digest.id, digest.size, trustedAt);
    });
  }

  /** `trustedAt`: the stat the id was recorded under, absent when a writer was busy (see FileIdentity). */
  private done(path: string, id: ObjectId, size: number, trustedAt?: Stats): FileIdentity {
    this.opts.stored?.(path, id);
    return trustedAt === undefined ? { id, size } : { id, size, trustedAt };
  }

  /** A file stored one by one joins the manifest, the stamps and the run, which may end with it. */
  private add(relPath: string, isLink: boolean, f: FileIdentity): void {
    this.manifest.add(relPath, f.id, f.size);
    if (f.trustedAt === undefined) {
      this.allTrusted = this.runTrusted = false;
    } else {
      this.stamps.add(relPath, isLink, f.trustedAt);
      this.run.add(relPath, isLink, f.trustedAt);
    }
    this.runFiles++;
    this.runBytes += f.size;
    this.meter!.step(f.size);
    if (endsRun(relPath, this.runFiles)) this.endRun();
  }

  /** Records the run just written (unless a busy writer left a file of it untrusted). */
  private endRun(): void {
    const digest = this.run.finish();
    const offset = this.manifest.mark();
    if (this.runTrusted) this.runs.push({ digest, offset: this.runStart, length: offset - this.runStart, files: this.runFiles, bytes: this.runBytes });
    this.runStart = offset;
    this.runFiles = this.runBytes = 0;
    this.runTrusted = true;
  }
}

const NEWLINE = 10;
/** Bytes of changed runs read again instead of asking the state cache (see settle), a file counting at least a page. */
const REHASH_BUDGET = 4 << 20;
const PAGE = 4096;
