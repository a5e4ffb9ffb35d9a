import { closeSync, openSync, readSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import xxhash, { type XXHashAPI } from 'xxhash-wasm';
import type { ObjectId } from '../core/ids.js';

/**
 * Content ids: two XXH64 lanes with different seeds over the same bytes, rendered as
 * 32 lowercase hex chars (lane A then lane B). 64 bits alone collide too early for a store of
 * millions of objects; two independently seeded lanes give 128 bits at ~5 GB/s in one pass.
 * XXH64 one-shot and streaming give the same digest, so small files take the one-shot path.
 */
const SEED_A = 0n;
const SEED_B = 0x9e3779b97f4a7c15n; // golden-ratio constant: any fixed value different from SEED_A

/** Bytes read per fs.read call: big enough to amortise the syscall and the wasm copy. */
export const HASH_CHUNK_SIZE = 4 * 1024 * 1024;
/** Large files hashed at once (each holds a two-chunk buffer). */
export const HASH_PARALLELISM = 4;
/**
 * Files up to this size are read synchronously: for the common dataset of many 4 KiB files an
 * async open/read/close costs 5-10x a sync one (three libuv round trips on a busy pool), while
 * a sync read of 256 KiB from the page cache blocks the event loop for only tens of microseconds.
 */
export const SMALL_FILE_LIMIT = 256 * 1024;

// Loaded once per process; every caller awaits the same instance.
let wasm: Promise<XXHashAPI> | undefined;
// One buffer for all sync reads: sync code cannot interleave, so sharing it is safe.
const smallBuffer = Buffer.allocUnsafeSlow(SMALL_FILE_LIMIT + 1);
function xxh(): Promise<XXHashAPI> {
  wasm ??= xxhash();
  return wasm;
}

function hex64(n: bigint): string {
  return n.toString(16).padStart(16, '0');
}

/** Id of bytes already in memory (manifests, tests). */
export async function hashBytes(bytes: Uint8Array): Promise<ObjectId> {
  return oneShotId(await xxh(), bytes);
}

function oneShotId(api: XXHashAPI, bytes: Uint8Array): ObjectId {
  return (hex64(api.h64Raw(bytes, SEED_A)) + hex64(api.h64Raw(bytes, SEED_B))) as ObjectId;
}

/**
 * Reusable read buffers. Allocating 4 MiB per file would dominate the cost of hashing many
 * small files, so buffers are created lazily and handed back; a caller waits when all are lent.
 */
class BufferPool {
  private readonly free: Buffer[] = [];
  private readonly waiting: ((b: Buffer) => void)[] = [];
  private created = 0;

  constructor(
    private readonly size: number,
    private readonly max: number,
  ) {}

  acquire(): Promise<Buffer> {
    const buffer = this.free.pop();
    if (buffer) return Promise.resolve(buffer);
    if (this.created < this.max) {
      this.created++;
      return Promise.resolve(Buffer.allocUnsafeSlow(this.size));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  release(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(buffer);
    else this.free.push(buffer);
  }
}

// Each pooled buffer holds two chunks (see hashFileStreaming).
const pool = new BufferPool(2 * HASH_CHUNK_SIZE, HASH_PARALLELISM);

export interface FileDigest {
  readonly id: ObjectId;
  /** Bytes actually hashed (the file may have changed size since it was stat'ed). */
  readonly size: number;
}

/**
 * Hashes a file in one pass: one open, one read per chunk, one close. A short read from a
 * regular file means end of file, so a small file costs a single read. `sizeHint` (from a stat
 * the caller already has) selects the synchronous small-file path.
 */
export async function hashFile(path: string, sizeHint?: number): Promise<FileDigest> {
  const api = await xxh();
  if (sizeHint !== undefined && sizeHint <= SMALL_FILE_LIMIT) {
    const small = hashSmallFileSync(api, path);
    if (small !== undefined) return small;
  }
  return hashFileStreaming(api, path);
}

/** undefined when the file has grown past SMALL_FILE_LIMIT since it was stat'ed. */
function hashSmallFileSync(api: XXHashAPI, path: string): FileDigest | undefined {
  const fd = openSync(path, 'r');
  try {
    const n = readSync(fd, smallBuffer, 0, smallBuffer.length, 0);
    if (n > SMALL_FILE_LIMIT) return undefined;
    return { id: oneShotId(api, smallBuffer.subarray(0, n)), size: n };
  } finally {
    closeSync(fd);
  }
}

/**
 * Large files: two halves of a pooled buffer alternate, so the kernel fills one (libuv thread)
 * while the main thread hashes the other; reading and hashing overlap instead of adding up.
 */
async function hashFileStreaming(api: XXHashAPI, path: string): Promise<FileDigest> {
  const buffer = await pool.acquire();
  const halves = [buffer.subarray(0, HASH_CHUNK_SIZE), buffer.subarray(HASH_CHUNK_SIZE)] as const;
  let handle: FileHandle | undefined;
  let inFlight: Promise<unknown> | undefined;
  try {
    handle = await open(path, 'r');
    const fh = handle;
    const readAt = (half: 0 | 1, position: number): Promise<number> => {
      const read = fh.read(halves[half], 0, HASH_CHUNK_SIZE, position).then((r) => r.bytesRead);
      inFlight = read;
      return read;
    };
    const first = await readAt(0, 0);
    if (first < HASH_CHUNK_SIZE) return { id: oneShotId(api, halves[0].subarray(0, first)), size: first };
    const laneA = api.create64(SEED_A);
    const laneB = api.create64(SEED_B);
    let size = first;
    let current: 0 | 1 = 0;
    let n = first;
    for (;;) {
      // A short read means end of file: only then is there no next chunk to ask for.
      const next = n === HASH_CHUNK_SIZE ? readAt(current === 0 ? 1 : 0, size) : undefined;
      const chunk = n === HASH_CHUNK_SIZE ? halves[current] : halves[current].subarray(0, n);
      laneA.update(chunk);
      laneB.update(chunk);
      if (next === undefined) break;
      n = await next;
      if (n === 0) break;
      size += n;
      current = current === 0 ? 1 : 0;
    }
    return { id: (hex64(laneA.digest()) + hex64(laneB.digest())) as ObjectId, size };
  } finally {
    // Never hand the buffer back while the kernel may still be writing into it.
    await inFlight?.catch(() => undefined);
    await handle?.close();
    pool.release(buffer);
  }
}
