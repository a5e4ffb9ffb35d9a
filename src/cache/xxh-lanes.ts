import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ObjectId } from '../core/ids.js';
import { importSharedMemory } from './xxh-shared-module.js';

/**
 * The two seeded XXH64 lanes of a content id, computed by xxhash-wasm's own WebAssembly module
 * driven directly (its JS glue copies every input into wasm memory once PER LANE, and keeps
 * each streaming state in JS, copying it in and out on every update). Here the bytes to hash
 * live in wasm memory from the start: files are read straight into `input`, and both lanes are
 * updated over that one copy. Digests are identical to xxhash-wasm's `h64Raw`/`create64`.
 */
const SEED_A = 0n;
const SEED_B = 0x9e3779b97f4a7c15n; // golden-ratio constant: any fixed value different from SEED_A

/** XXH64 streaming state is 88 bytes; slots are spaced to keep them aligned. */
const STATE_A = 0;
const STATE_B = 128;
const INPUT_OFFSET = 256;
const WASM_PAGE = 64 * 1024;

interface XxhExports {
  readonly mem: WebAssembly.Memory;
  xxh64(ptr: number, len: number, seed: bigint): bigint;
  init64(statePtr: number, seed: bigint): void;
  update64(statePtr: number, inputPtr: number, len: number): void;
  digest64(statePtr: number): bigint;
}

function moduleBytes(): Uint8Array<ArrayBuffer> {
  // The package ships the raw module for workerd, beside its entry folders (esm/, cjs/).
  const entry = createRequire(import.meta.url).resolve('xxhash-wasm');
  return new Uint8Array(readFileSync(join(dirname(entry), '..', 'workerd', 'xxhash.wasm')));
}

// Compiled once per process (3 KiB, microseconds); each LaneHasher gets its own instance/memory.
let compiled: WebAssembly.Module | undefined;
let compiledShared: WebAssembly.Module | undefined;
function xxhModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(moduleBytes());
  return compiled;
}

/** The module with its memory imported as `env.mem`, shared (xxh-shared-module.ts). */
function xxhSharedModule(): WebAssembly.Module {
  compiledShared ??= new WebAssembly.Module(importSharedMemory(moduleBytes()));
  return compiledShared;
}

/** wasm i64 results arrive signed: reinterpret as unsigned before rendering. */
function hex64(n: bigint): string {
  return BigInt.asUintN(64, n).toString(16).padStart(16, '0');
}

/**
 * One wasm instance with an input area of `capacity` bytes. Not shareable between overlapping
 * async hashes: each concurrent stream needs its own (see the pool in hash.ts).
 */
export class LaneHasher {
  private readonly wasm: XxhExports;
  private view: Buffer<ArrayBufferLike> = Buffer.alloc(0);

  /**
   * `shared`: the memory is a SharedArrayBuffer of exactly `capacity` input bytes (it cannot
   * grow past that), which other threads may fill (see copy-hashing.ts).
   */
  constructor(capacity: number, shared = false) {
    if (shared) {
      const pages = Math.ceil((INPUT_OFFSET + capacity) / WASM_PAGE);
      const mem = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
      this.wasm = new WebAssembly.Instance(xxhSharedModule(), { env: { mem } }).exports as unknown as XxhExports;
    } else {
      this.wasm = new WebAssembly.Instance(xxhModule()).exports as unknown as XxhExports;
    }
    this.ensure(capacity);
  }

  /** The wasm memory (a SharedArrayBuffer for a shared hasher); input starts at `inputOffset`. */
  get memory(): ArrayBufferLike {
    return this.wasm.mem.buffer;
  }

  readonly inputOffset = INPUT_OFFSET;

  /**
   * The input area, at least `bytes` long: bytes placed here (e.g. by fs.read) are what
   * `update`/`oneShot` hash. Growing it invalidates views returned before.
   */
  ensure(bytes: number): Buffer<ArrayBufferLike> {
    const needed = INPUT_OFFSET + bytes;
    const { mem } = this.wasm;
    if (mem.buffer.byteLength < needed) mem.grow(Math.ceil((needed - mem.buffer.byteLength) / WASM_PAGE));
    if (this.view.length < bytes || this.view.buffer !== mem.buffer) {
      this.view = Buffer.from(mem.buffer, INPUT_OFFSET, mem.buffer.byteLength - INPUT_OFFSET);
    }
    return this.view;
  }

  /** Id of input[0, n) in one call per lane. */
  oneShot(n: number): ObjectId {
    return (hex64(this.wasm.xxh64(INPUT_OFFSET, n, SEED_A)) + hex64(this.wasm.xxh64(INPUT_OFFSET, n, SEED_B))) as ObjectId;
  }

  /** Starts a streaming id; then `update` per chunk and `digest` once. */
  reset(): void {
    // init64 leaves the buffered-tail fields as they are: a reused state must be zeroed first.
    new Uint8Array(this.wasm.mem.buffer, 0, INPUT_OFFSET).fill(0);
    this.wasm.init64(STATE_A, SEED_A);
    this.wasm.init64(STATE_B, SEED_B);
  }

  /** Feeds input[offset, offset + n) to both lanes. */
  update(offset: number, n: number): void {
    this.wasm.update64(STATE_A, INPUT_OFFSET + offset, n);
    this.wasm.update64(STATE_B, INPUT_OFFSET + offset, n);
  }

  digest(): ObjectId {
    return (hex64(this.wasm.digest64(STATE_A)) + hex64(this.wasm.digest64(STATE_B))) as ObjectId;
  }

  /** Id of bytes already in memory: one copy into wasm memory, both lanes over it. */
  hashBytes(bytes: Uint8Array): ObjectId {
    this.ensure(bytes.length).set(bytes);
    return this.oneShot(bytes.length);
  }
}
