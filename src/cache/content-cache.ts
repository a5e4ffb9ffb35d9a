import type { Stats } from 'node:fs';
import { lstat } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import { HASH_NAME, isDirId, type ObjectId } from '../core/ids.js';
import { checkoutDir, checkoutFile, type CheckoutDeps } from './checkout.js';
import type { DirStamps } from './dir-stamps.js';
import { storeDir } from './dir-store.js';
import type { StoredRuns } from './stored-runs.js';
import { makeYielder } from './yield.js';
import { mapLimit } from './concurrency.js';
import { PhaseMeter, type CacheActivity } from './activity.js';
import { pathNotFoundError, unsupportedFileTypeError } from './errors.js';
import { isProtectedLinkType, type Linker } from './links.js';
import type { ManifestEntry } from './manifest.js';
import { parseManifestTable, type ManifestTable } from './manifest-table.js';
import type { ObjectStore } from './object-store.js';
import { stampOf, type StateCache } from './state.js';
import type { Cache, PathInfo, SaveOptions } from './types.js';
import { confineAbsolute } from '../util/confined-path.js';
import { statIfExists, statSyncIfExists, WorkspaceHasher, type HashedFile } from './workspace-hasher.js';

// Objects checked or copied at once.
const STORE_PARALLELISM = 8;

/** The facade over hashing, the state cache, the object store and the link chain. */
export class ContentCache implements Cache {
  private readonly hasher: WorkspaceHasher;
  private readonly deps: CheckoutDeps;
  private lastManifest: { readonly id: ObjectId; readonly table: ManifestTable } | undefined;

  constructor(
    private readonly root: string,
    private readonly store: ObjectStore,
    private readonly state: StateCache,
    private readonly dirStamps: DirStamps,
    private readonly storedRuns: StoredRuns,
    private readonly linker: Linker,
    private readonly activity?: CacheActivity,
  ) {
    const objectsPrefix = store.objectsDir + sep;
    // Only links that the symlink link type made (into this store) may live in tracked dirs.
    const ownLink = (absPath: string, target: string): boolean => resolve(dirname(absPath), target).startsWith(objectsPrefix);
    this.hasher = new WorkspaceHasher(root, state, dirStamps, ownLink, activity);
    this.deps = { store, linker, hasher: this.hasher, ...(activity ? { activity } : {}) };
  }

  get objectsDir(): string {
    return this.store.objectsDir;
  }

  objectPath(id: ObjectId): string {
    return this.store.pathOf(id);
  }

  knownPath(absPath: string): PathInfo | 'missing' | undefined {
    const stats = statSyncIfExists(absPath);
    if (stats === undefined) return 'missing';
    if (!stats.isFile()) return undefined;
    const id = this.hasher.knownId(absPath, stats);
    return id === undefined ? undefined : { hash: HASH_NAME, id, size: stats.size };
  }

  async hashPath(absPath: string): Promise<PathInfo | undefined> {
    const stats = await statIfExists(absPath);
    if (stats === undefined) return undefined;
    if (stats.isDirectory()) {
      const dir = await this.hasher.summarizeDir(absPath);
      return { hash: HASH_NAME, id: dir.id, size: dir.size, nfiles: dir.nfiles };
    }
    if (!stats.isFile()) throw unsupportedFileTypeError(absPath, 'special file');
    const file = await this.hasher.hashFile(absPath, stats);
    return { hash: HASH_NAME, id: file.id, size: file.size };
  }

  async save(absPath: string, opts: SaveOptions = {}): Promise<PathInfo> {
    await confineAbsolute(this.root, absPath, opts.relink === true ? 'write' : 'read');
    const stats = await statIfExists(absPath);
    if (stats === undefined) throw pathNotFoundError(absPath);
    if (stats.isDirectory()) {
      // Links are made after the walk: only for a link chain that starts with a protected type.
      const relinks: [string, ObjectId][] = [];
      const relink = opts.relink === true && !this.linker.keepsCopies() ? (path: string, id: ObjectId) => void relinks.push([path, id]) : undefined;
      const dir = await storeDir(this.hasher, this.store, this.storedRuns, absPath, { ...(relink ? { stored: relink } : {}), ...(opts.refuse ? { refuse: opts.refuse } : {}) });
      await mapLimit(relinks, STORE_PARALLELISM, ([path, id]) => this.relinkSaved(path, id, true));
      return { hash: HASH_NAME, id: dir.id, size: dir.size, nfiles: dir.nfiles };
    }
    if (!stats.isFile()) throw unsupportedFileTypeError(absPath, 'special file');
    const meter = new PhaseMeter(this.activity, 'storing', this.hasher.stateKey(absPath), 1, stats.size);
    meter.check();
    const file = await this.saveOneFile(absPath, stats, opts.relink === true);
    meter.step(stats.size);
    return { hash: HASH_NAME, id: file.id, size: file.size };
  }

  /**
   * A file the state cache does not know is read once to both hash and store it; other files
   * (known, or links into the store) are looked up, then stored.
   */
  private async saveOneFile(absPath: string, stats: Stats, relink: boolean): Promise<HashedFile> {
    const readOnce = this.hasher.knownId(absPath, stats) === undefined && !(await lstat(absPath)).isSymbolicLink();
    if (!readOnce) {
      const file = await this.hasher.hashFile(absPath, stats);
      return { ...file, id: await this.saveFile(absPath, file, relink) };
    }
    const stamp = stampOf(stats);
    const digest = await this.store.putFileHashing(absPath, stamp);
    this.hasher.remember(absPath, stats, digest.id);
    const file = { id: digest.id, size: digest.size, stamp };
    await this.relinkSaved(absPath, file.id, relink);
    return file;
  }

  /** Stores one file (unless stored before); returns the id its bytes were stored under. */
  private async saveFile(absPath: string, file: HashedFile, relink: boolean): Promise<ObjectId> {
    const isLink = (await lstat(absPath)).isSymbolicLink();
    // A symlink into the store already points at a stored object: nothing to copy or relink.
    if (isLink && (await this.store.has(file.id))) return file.id;
    const id = await this.store.putFile(file.id, absPath, file.stamp);
    // The state cache was wrong about it: it learns the id of the bytes just hashed.
    if (id !== file.id) this.hasher.recordKeyed(this.hasher.stateKey(absPath), file.stamp, id);
    await this.relinkSaved(absPath, id, relink);
    return id;
  }

  /** After saving, replaces the workspace copy per the link chain (copies stay as they are). */
  private async relinkSaved(absPath: string, id: ObjectId, relink: boolean): Promise<void> {
    if (!relink) return;
    const type = await this.store.keepVerifiedAcross(id, () => this.linker.link(this.store.pathOf(id), absPath, { keepCopies: true }));
    // A kept copy is the very file just hashed: the state cache already holds its stamp.
    if (!isProtectedLinkType(type)) return;
    const relinked = await statIfExists(absPath);
    if (relinked !== undefined) this.hasher.remember(absPath, relinked, id);
  }

  async has(info: PathInfo): Promise<boolean> {
    if (!this.store.hasSync(info.id)) return false;
    if (!isDirId(info.id)) return true;
    const yielder = makeYielder();
    const table = await this.readManifestFor(info.id, this.store.pathOf(info.id));
    for (let i = 0; i < table.length; i++) {
      if (!this.store.hasSync(table.id(i))) return false;
      await yielder.tick();
    }
    return true;
  }

  async checkout(info: PathInfo, absPath: string): Promise<void> {
    await confineAbsolute(this.root, absPath, 'write');
    if (isDirId(info.id)) {
      await checkoutDir(this.deps, await this.readManifestFor(info.id, absPath), absPath);
    } else {
      await checkoutFile(this.deps, info.id, info.size, absPath);
    }
  }

  async readManifest(id: ObjectId): Promise<readonly ManifestEntry[]> {
    return (await this.readManifestFor(id, this.store.pathOf(id))).toEntries();
  }

  /**
   * checkout asks has() then checkout() of one folder: its manifest is read (and checked against
   * its id) and parsed once.
   */
  private async readManifestFor(id: ObjectId, workspacePath: string): Promise<ManifestTable> {
    if (this.lastManifest?.id === id) return this.lastManifest.table;
    const table = parseManifestTable(await this.store.readManifestBytes(id, workspacePath), id, this.store.pathOf(id));
    this.lastManifest = { id, table };
    return table;
  }

  async flush(): Promise<void> {
    await this.state.flush();
    await this.dirStamps.flush();
    await this.storedRuns.flush();
    await this.store.flush();
  }
}
