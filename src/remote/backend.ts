import type { RemoteLabel } from './errors.js';

/** One stored key with its size and last modification time. */
export interface RemoteEntry {
  readonly key: string;
  readonly size: number;
  readonly modifiedMs: number;
}

/** Bytes moved so far by one transfer, reported as they go (for progress bars). */
export type ByteCounter = (bytes: number) => void;

/**
 * What dvcts needs from a place that stores objects: a flat key space ("objects/ab/cdef…").
 * Every write is atomic: a key is absent, or holds the whole content, whatever happens to the
 * writer. Failures that concern the whole remote (auth, network) throw E_REMOTE_* errors.
 */
export interface RemoteBackend extends RemoteLabel {
  /**
   * Called before a push: a folder remote creates its folder (reading from a folder that does
   * not exist is an error: an unmounted share must not look like an empty remote).
   */
  prepareWrite(): Promise<void>;
  /** Every key under `prefix` (which ends in '/'), in pages; temp files are not keys. */
  list(prefix: string): AsyncIterable<readonly RemoteEntry[]>;
  exists(key: string): Promise<boolean>;
  /** The content of a (small) key, or undefined when absent. */
  read(key: string): Promise<Uint8Array | undefined>;
  /** Writes the key's content to the new file `dest`; false when the key is absent. */
  download(key: string, dest: string, onBytes?: ByteCounter): Promise<boolean>;
  write(key: string, data: Uint8Array): Promise<void>;
  /** Stores the file `src` of `size` bytes under `key`. */
  upload(key: string, src: string, size: number, onBytes?: ByteCounter): Promise<void>;
  /** Removes keys (absent ones are no error). */
  remove(keys: readonly string[]): Promise<void>;
  /** Removes leftovers of interrupted writes older than `olderThanMs`; returns how many. */
  sweepIncomplete(olderThanMs: number): Promise<number>;
  /** A page of `list` holds at most this many keys (to estimate what listing costs). */
  readonly pageSize: number;
  close(): void;
}
