import type { Stats } from 'node:fs';
import type { ObjectId } from '../core/ids.js';
import { openStateCache, type StateCache } from './state.js';

/**
 * Objects whose bytes are known to hash to their id, remembered by the object file's
 * (inode, size, mtime, ctime): any write to the file, or a restored mtime after one, changes a
 * field, so a changed object is hashed again before it is used. Objects dvcts writes itself are
 * recorded as it writes them (it hashed those very bytes), so a checkout right after `add`
 * reads nothing twice; an object that arrived otherwise (copied in, pulled by an older dvcts,
 * or after `.dvcts/tmp` was cleared) is hashed once at its first checkout.
 *
 * Stored like the state cache (same file format, `.dvcts/tmp/verified/`), opened on first use
 * so that commands that never materialise objects (status) do not pay for loading it.
 */
export class VerifiedObjects {
  private opened: Promise<StateCache> | undefined;

  /** `dir` undefined: remembered for this process only (a store without a project: workers, remotes). */
  constructor(private readonly dir: string | undefined) {}

  async has(id: ObjectId, stats: Stats): Promise<boolean> {
    return (await this.open()).lookup(id, verifiedStamp(stats)) === id;
  }

  async add(id: ObjectId, stats: Stats): Promise<void> {
    (await this.open()).record(id, verifiedStamp(stats), id);
  }

  async flush(): Promise<void> {
    if (this.opened !== undefined) await (await this.opened).flush();
  }

  private open(): Promise<StateCache> {
    this.opened ??= this.dir === undefined ? Promise.resolve(inMemoryState()) : openStateCache(this.dir);
    return this.opened;
  }
}

function inMemoryState(): StateCache {
  const rows = new Map<string, string>();
  return {
    lookup: (key, stamp) => (rows.get(key) === stamp ? (key as ObjectId) : undefined),
    record: (key, stamp) => void rows.set(key, stamp),
    has: (key) => rows.has(key),
    flush: async () => undefined,
  };
}

function verifiedStamp(stats: Stats): string {
  return `${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}
