import { closeSync, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import type { ObjectId } from '../core/ids.js';
import { LaneHasher } from './xxh-lanes.js';

/**
 * Content ids: two XXH64 lanes with different seeds over the same bytes, rendered as
 * 32 lowercase hex chars (lane A then lane B; see xxh-lanes.ts). 64 bits alone collide too early
 * for a store of millions of objects; two independently seeded lanes give 128 bits in one pass.
 * XXH64 one-shot and streaming give the same digest, so small files take the one-shot path.
 */

/** Bytes read per fs.read call: big enough to amortise the syscall, small enough to stay in cache. */
export const HASH_CHUNK_SIZE = 4 * 1024 * 1024;
/** Large files hashed at once (each holds a two-chunk input area). */
export const HASH_PARALLELISM = 4;
/**
 * Files up to this size are read synchronously: for the common dataset of many 4 KiB files an
 * async open/read/close costs 5-10x a sync one (three libuv round trips on a busy pool), while
 * a sync read of 256 KiB from the page cache blocks the event loop for only tens of microseconds.
 */
export const SMALL_FILE_LIMIT = 256 * 1024;

// One hasher for all synchronous work (small files, bytes in memory): sync code cannot
// interleave, so sharing it is safe. Created on first use.
let syncHasher: LaneHasher | undefined;
function sharedHasher(): LaneHasher {
  syncHasher ??= new LaneHasher(SMALL_FILE_LIMIT + 1);
  return syncHasher;
}

/** Id of bytes already in memory (manifests, tests). */
export async function hashBytes(bytes: Uint8Array): Promise<ObjectId> {
  return hashBytesSync(bytes);
}

export function hashBytesSync(bytes: Uint8Array): ObjectId {
  return sharedHasher().hashBytes(bytes);
}

/**
 * Streaming hashers, each with a two-chunk input area in its own wasm memory. Creating one per
 * file would dominate the cost of hashing many files, so they are created lazily and handed
 * back; a caller waits when all are lent.
 */
class HasherPool {
  private readonly free: LaneHasher[] = [];
  private readonly waiting: ((h: LaneHasher) => void)[] = [];
  private created = 0;

  acquire(): Promise<LaneHasher> {
    const hasher = this.free.pop();
    if (hasher) return Promise.resolve(hasher);
    if (this.created < HASH_PARALLELISM) {
      this.created++;
      return Promise.resolve(new LaneHasher(2 * HASH_CHUNK_SIZE));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(hasher: LaneHasher): void {
    const next = this.waiting.shift();
    if (next) next(hasher);
    else this.free.push(hasher);
  }
}

const pool = new HasherPool();

export interface FileDigest {
  readonly id: ObjectId;
  /** Bytes actually hashed (the file may have changed size since it was stat'ed). */
  readonly size: number;
}

/**
 * Receives each chunk of a streamed file after it is hashed, with its offset in the file (e.g. to
 * write it elsewhere). It may still run while later chunks are read and hashed.
 */
export type ChunkSink = (chunk: Buffer, position: number) => Promise<unknown>;

/**
 * Hashes a file in one pass: one open, one read per chunk, one close. A short read from a
 * regular file means end of file, so a small file costs a single read. `sizeHint` (from a stat
 * the caller already has) selects the synchronous small-file path.
 */
export async function hashFile(path: string, sizeHint?: number): Promise<FileDigest> {
  if (sizeHint !== undefined && sizeHint <= SMALL_FILE_LIMIT) {
    const small = hashSmallFileSync(path);
    if (small !== undefined) return small;
  }
  return hashFileStreaming(path);
}

/**
 * Hashes a file of at most SMALL_FILE_LIMIT bytes in one read; `use` gets the very bytes hashed
 * (valid only during the call: they live in the shared hasher's memory), e.g. to store them.
 * undefined when the file has grown past SMALL_FILE_LIMIT since it was stat'ed.
 */
export function hashSmallFileSync(path: string, use?: (bytes: Uint8Array, id: ObjectId) => void): FileDigest | undefined {
  const hasher = sharedHasher();
  const input = hasher.ensure(SMALL_FILE_LIMIT + 1);
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, input, 0, SMALL_FILE_LIMIT + 1, 0);
    if (n > SMALL_FILE_LIMIT) return undefined;
    const id = hasher.oneShot(n);
    use?.(input.subarray(0, n), id);
    return { id, size: n };
  } finally {
    closeSync(fd);
  }
}

/** A file read by readSmallFileSync: its stat, and for a small file its bytes and id. */
export type SmallRead =
  | { readonly stats: Stats; readonly id: ObjectId; /** Valid until the next synchronous hash. */ readonly bytes: Uint8Array }
  | { readonly stats: Stats; readonly id: undefined; readonly bytes: undefined };

/**
 * One open, fstat, read and close: the stat (taken before the read, on the very file read) and,
 * when the file is at most SMALL_FILE_LIMIT bytes, its bytes and id. For a file the state cache
 * knows nothing about this saves the separate stat a lookup would need.
 */
export function readSmallFileSync(path: string): SmallRead {
  const hasher = sharedHasher();
  const fd = openSync(path, 'r');
  try {
    const stats = fstatSync(fd);
    if (stats.size > SMALL_FILE_LIMIT) return { stats, id: undefined, bytes: undefined };
    const input = hasher.ensure(SMALL_FILE_LIMIT + 1);
    const n = readSync(fd, input, 0, SMALL_FILE_LIMIT + 1, 0);
    if (n > SMALL_FILE_LIMIT) return { stats, id: undefined, bytes: undefined };
    return { stats, id: hasher.oneShot(n), bytes: input.subarray(0, n) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Streams a file through both lanes, read straight into wasm memory (no copy). The input area is
 * a ring of chunk slots: the kernel fills the next slot (libuv thread) while the main thread
 * hashes the current one, so reading and hashing overlap instead of adding up. With a `sink`,
 * each hashed chunk is handed on from its slot (the file is read once for both) and the ring has
 * a third slot, so a sink's write overlaps the next read and hash too.
 */
export async function hashFileStreaming(path: string, sink?: ChunkSink): Promise<FileDigest> {
  const hasher = await pool.acquire();
  const slots = sink === undefined ? 2 : 3;
  const input = hasher.ensure(slots * HASH_CHUNK_SIZE);
  const slotUsers: (Promise<unknown> | undefined)[] = new Array(slots).fill(undefined);
  let handle: FileHandle | undefined;
  try {
    handle = await open(path, 'r');
    const fh = handle;
    // Every pending operation on a slot is kept until it settles: the slot is reused after.
    const occupy = (slot: number, work: Promise<unknown>): void => {
      work.catch(() => undefined); // observed here, rethrown where awaited
      slotUsers[slot] = work;
    };
    const readInto = async (slot: number, position: number): Promise<number> => {
      await slotUsers[slot];
      const read = fh.read(input, slot * HASH_CHUNK_SIZE, HASH_CHUNK_SIZE, position).then((r) => r.bytesRead);
      occupy(slot, read);
      return read;
    };
    hasher.reset();
    let size = 0;
    let chunk = 0;
    let n = await readInto(0, 0);
    while (n > 0) {
      const slot = chunk % slots;
      const start = slot * HASH_CHUNK_SIZE;
      // A short read means end of file: only then is there no next chunk to ask for.
      const next = n === HASH_CHUNK_SIZE ? readInto((chunk + 1) % slots, size + n) : undefined;
      hasher.update(start, n);
      if (sink !== undefined) occupy(slot, sink(input.subarray(start, start + n), size));
      size += n;
      chunk++;
      if (next === undefined) break;
      n = await next;
    }
    await Promise.all(slotUsers); // a sink's failure surfaces here
    return { id: hasher.digest(), size };
  } finally {
    // Never hand the hasher back while the kernel may still read or write its memory.
    await Promise.allSettled(slotUsers);
    await handle?.close();
    pool.release(hasher);
  }
}
