import type { FileHandle } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { HASH_CHUNK_SIZE, type FileDigest } from './hash.js';
import { LaneHasher } from './xxh-lanes.js';

/**
 * Copying a large file into the store while hashing it, with the file I/O on a worker thread.
 * The worker reads each chunk into a slot of the hasher's shared wasm memory, tells the main
 * thread (which hashes the slot in place) and writes the slot to the temp object in small pieces;
 * it fills a slot again only once the main thread has hashed it. So the bytes stored are the
 * bytes hashed, and reads, writes and hashing overlap on two threads.
 *
 * Why a worker: writing through libuv costs a round trip to the main thread per piece (4096 per
 * GiB at 256 KiB), and the main thread answers them only between hashes: the writes then waited,
 * and a 1 GiB add used one core out of two (perf timeline, bench many-files big). Bigger pieces
 * are no way out (see OBJECT_WRITE_PIECE in object-store.ts). The worker takes about 20 ms to
 * start: only files of at least COPY_WORKER_MIN_SIZE take this path (`add` of one file, same-run
 * medians: 64 MiB 0.210 s against 0.196 s the other way, 256 MiB 0.284 s against 0.348 s, 1 GiB
 * 0.578 s against 0.773 s).
 */
export const COPY_WORKER_MIN_SIZE = 256 * 1024 * 1024;

/**
 * Ring of SLOTS chunks of CHUNK bytes (bench many-files big, one run: 4 x 4 MiB 0.545 s, 8 x 4 MiB
 * 0.561 s, 8 x 1 MiB 0.571 s, 16 x 512 KiB 0.577 s).
 */
const CHUNK = HASH_CHUNK_SIZE;
const SLOTS = 4;
/** Shared-memory hashers kept for later large files (each holds SLOTS * CHUNK bytes). */
const SPARE_HASHERS = 2;

// The worker's code as source text (an eval worker, CommonJS): no file to locate beside the CLI
// bundle's chunks or beside src/ under vitest. Control word 0: chunks hashed (main -> worker).
const WORKER_SOURCE = `
const { readSync, writeSync } = require('node:fs');
const { parentPort, workerData: job } = require('node:worker_threads');
const hashed = new Int32Array(job.control);
const memory = new Uint8Array(job.memory);
try {
  let size = 0;
  for (let chunk = 0; ; chunk++) {
    // A slot is filled again once its previous chunk is hashed (and written: writes here are synchronous).
    for (let h; (h = Atomics.load(hashed, 0)) < chunk - job.slots + 1; ) Atomics.wait(hashed, 0, h);
    const start = job.inputOffset + (chunk % job.slots) * job.chunk;
    const n = readSync(job.src, memory, start, job.chunk, size);
    if (n > 0) parentPort.postMessage(n);
    for (let at = 0; at < n; ) at += writeSync(job.dst, memory, start + at, Math.min(job.piece, n - at), size + at);
    size += n;
    if (n < job.chunk) break; // a short read from a regular file: its end
  }
  parentPort.postMessage('end');
} catch (e) {
  parentPort.postMessage({ message: e.message, code: e.code, errno: e.errno, syscall: e.syscall });
}`;

type WorkerMessage = number | 'end' | { message: string; code?: string; errno?: number; syscall?: string };

// Hashers with shared memory, kept for the next large file (a fresh one faults its pages in again).
const spare: LaneHasher[] = [];

/**
 * Copies `src` (from offset 0 to its end) to `dst`, written `piece` bytes at a time, and returns
 * the id and size of the bytes copied. A read or write error rejects with the system error (code,
 * errno, syscall as fs gives them); `dst` then holds part of the file.
 */
export async function copyHashing(src: FileHandle, dst: FileHandle, piece: number): Promise<FileDigest> {
  const hasher = spare.pop() ?? new LaneHasher(SLOTS * CHUNK, true);
  try {
    hasher.reset();
    return await new Promise<FileDigest>((resolve, reject) => {
      const hashed = new Int32Array(new SharedArrayBuffer(4));
      const workerData = { memory: hasher.memory, inputOffset: hasher.inputOffset, chunk: CHUNK, slots: SLOTS, piece, src: src.fd, dst: dst.fd, control: hashed.buffer };
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
      let chunks = 0;
      let size = 0;
      let digest: FileDigest | undefined;
      let failure: unknown;
      worker.on('message', (m: WorkerMessage) => {
        if (typeof m === 'number') {
          hasher.update((chunks % SLOTS) * CHUNK, m);
          size += m;
          Atomics.store(hashed, 0, ++chunks);
          Atomics.notify(hashed, 0);
        } else if (m === 'end') {
          digest = { id: hasher.digest(), size };
        } else {
          failure = Object.assign(new Error(m.message), { code: m.code, errno: m.errno, syscall: m.syscall });
        }
      });
      worker.on('error', (e) => (failure ??= e));
      // Settled only once the thread is gone: it no longer touches the hasher's memory or the files.
      worker.on('exit', () => (digest !== undefined && failure === undefined ? resolve(digest) : reject(failure ?? new Error('copy worker exited early'))));
    });
  } finally {
    if (spare.length < SPARE_HASHERS) spare.push(hasher);
  }
}
