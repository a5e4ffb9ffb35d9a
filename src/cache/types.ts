import type { HashName, ObjectId } from '../core/ids.js';
import type { LinkType } from './links.js';
import type { ManifestEntry } from './manifest.js';
import type { CacheActivity } from './activity.js';

export type { LinkType } from './links.js';
export type { ManifestEntry } from './manifest.js';

/** What the cache knows about a workspace file or directory. */
export interface PathInfo {
  readonly hash: HashName;
  readonly id: ObjectId;
  /** Bytes: the file's size, or the sum of a directory's file sizes. */
  readonly size: number;
  /** Only for directories: number of files. */
  readonly nfiles?: number;
}

export interface CacheOptions {
  /** Absolute project root (the folder holding `.dvcts/`). */
  readonly root: string;
  /** Link types tried in order when materialising objects; default ['reflink', 'copy']. */
  readonly linkTypes?: readonly LinkType[];
  /** Progress of long operations, and a signal that stops them between files. */
  readonly activity?: CacheActivity;
  /** The cache folder, when it is not the root's `.dvcts/cache` (a worker shares one between its workspaces). */
  readonly cacheDir?: string;
}

export interface Cache {
  readonly objectsDir: string;
  /** Hash a workspace file or directory (state cache used), without storing. undefined if it does not exist. */
  hashPath(absPath: string): Promise<PathInfo | undefined>;
  /**
   * hashPath's answer when one stat and the state cache give it: 'missing', or a file's info.
   * undefined when it takes more (a read, a directory, something hashPath reports): ask hashPath.
   */
  knownPath(absPath: string): PathInfo | 'missing' | undefined;
  /**
   * Hash and store a file or directory (all files + manifest) into the object store; returns its
   * info. After saving, the workspace copy is re-linked per link type only when `relink` is true.
   * The path must pass the project's path rule and have no symlinked folder (E_PATH_*).
   */
  save(absPath: string, opts?: SaveOptions): Promise<PathInfo>;
  /** true when the object (and for a dir, the manifest and every file object) is in the store. */
  has(info: PathInfo): Promise<boolean>;
  /**
   * Materialise `info` at absPath using the link chain. For a dir: create/replace files, remove
   * files the manifest does not list. Files already matching (by state cache id) are left alone.
   * Throws E_OBJECT_MISSING (data: {id, path}) when an object is missing, E_OBJECT_CORRUPT when
   * an object's size does not match; both are checked before the workspace is touched. The path
   * must pass the project's path rule and have no symlinked folder (E_PATH_*).
   */
  checkout(info: PathInfo, absPath: string): Promise<void>;
  /** Read a directory manifest. */
  readManifest(id: ObjectId): Promise<readonly ManifestEntry[]>;
  /** Path of an object in the store (present or not): for remotes, gc and fsck. */
  objectPath(id: ObjectId): string;
  /** Persist the state cache (call at the end of a command). */
  flush(): Promise<void>;
}

export interface SaveOptions {
  /** Re-link the workspace copy per link type after saving. */
  readonly relink?: boolean;
  /**
   * For a folder: sees each file's path relative to it before the file is stored, and throws to
   * refuse the folder (a check that needs every name, made during the one walk that stores it).
   */
  readonly refuse?: (relPath: string) => void;
}
