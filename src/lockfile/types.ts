import type { HashName, ObjectId } from '../core/ids.js';

/** A dep or out as observed when its stage last succeeded. */
export interface LockedPath {
  readonly path: string;
  readonly hash: HashName;
  readonly id: ObjectId;
  readonly size: number;
  /** Only for directories. */
  readonly nfiles?: number;
}

/** Param values by params file, then by dotted key. */
export type LockedParams = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What a stage's last successful run observed (the lock file is observation; the YAML is the wish). */
export interface LockEntry {
  readonly cmd?: readonly string[];
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  /** The built-in's version string. */
  readonly version?: string;
  readonly deps: readonly LockedPath[];
  readonly params: LockedParams;
  readonly outs: readonly LockedPath[];
}

export const LOCK_SCHEMA = 'dvcts-lock/1';
