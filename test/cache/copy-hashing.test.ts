import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';
import { describe, expect, it } from 'vitest';
import { COPY_WORKER_MIN_SIZE, copyHashing } from '../../src/cache/copy-hashing.js';
import { HASH_CHUNK_SIZE, hashBytes } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { stampOf } from '../../src/cache/state.js';
import { importSharedMemory } from '../../src/cache/xxh-shared-module.js';
import { LaneHasher } from '../../src/cache/xxh-lanes.js';
import { listFiles, tempRoot } from './helpers.js';

function patterned(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (Math.imul(i + seed, 2654435761) >>> 24) & 0xff;
  return b;
}

/** Id by xxhash-wasm's own API (not the lane code under test): XXH64 seeds 0 and 0x9e3779b97f4a7c15. */
async function oracleId(bytes: Uint8Array): Promise<string> {
  const { h64Raw } = await xxhash();
  return [0n, 0x9e3779b97f4a7c15n].map((seed) => h64Raw(bytes, seed).toString(16).padStart(16, '0')).join('');
}

async function copyFile(src: string, dst: string, piece = 256 * 1024) {
  const input = await open(src, 'r');
  const output = await open(dst, 'wx');
  try {
    return await copyHashing(input, output, piece);
  } finally {
    await input.close();
    await output.close();
  }
}

describe('the shared-memory hasher', () => {
  it('gives the ids of the oracle, in one shot and streamed', async () => {
    const hasher = new LaneHasher(1 << 20, true);
    expect(hasher.memory).toBeInstanceOf(SharedArrayBuffer);
    for (const size of [0, 1, 31, 32, 33, 1000, 1 << 20]) {
      const bytes = patterned(size, size);
      expect(hasher.hashBytes(bytes)).toBe(await oracleId(bytes));
      hasher.reset();
      hasher.ensure(size).set(bytes);
      hasher.update(0, Math.floor(size / 3));
      hasher.update(Math.floor(size / 3), size - Math.floor(size / 3));
      expect(hasher.digest()).toBe(await oracleId(bytes));
    }
  });

  it('refuses to rewrite a module of another layout', () => {
    const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
    expect(() => importSharedMemory(Uint8Array.from(header))).toThrow(/no memory section/);
    expect(() => importSharedMemory(Uint8Array.from([...header, 2, 1, 0]))).toThrow(/import section/);
    expect(() => importSharedMemory(Uint8Array.from([...header, 5, 4, 1, 1, 1, 2]))).toThrow(/memory section/);
  });
});

describe('copying a file while hashing it on a worker thread', () => {
  it.each([
    ['empty', 0],
    ['one byte', 1],
    ['one byte under a chunk', HASH_CHUNK_SIZE - 1],
    ['exactly one chunk', HASH_CHUNK_SIZE],
    ['more chunks than ring slots, and a tail', 5 * HASH_CHUNK_SIZE + 12345],
  ])('copies and hashes a file of %s exactly', async (_label, size) => {
    const root = await tempRoot();
    const bytes = patterned(size, 7);
    writeFileSync(join(root, 'src'), bytes);
    expect(await copyFile(join(root, 'src'), join(root, 'dst'), 100_000)).toEqual({ id: await oracleId(bytes), size });
    expect(readFileSync(join(root, 'dst')).equals(bytes)).toBe(true);
  });

  it('rejects with the system error of a failed read or write, then can copy again', async () => {
    const root = await tempRoot();
    await mkdir(join(root, 'folder'));
    await expect(copyFile(join(root, 'folder'), join(root, 'dst1'))).rejects.toMatchObject({ code: 'EISDIR', syscall: 'read' });
    writeFileSync(join(root, 'src'), patterned(1000, 1));
    const input = await open(join(root, 'src'), 'r');
    const readOnly = await open(join(root, 'src'), 'r');
    try {
      await expect(copyHashing(input, readOnly, 4096)).rejects.toMatchObject({ code: 'EBADF', syscall: 'write' });
    } finally {
      await input.close();
      await readOnly.close();
    }
    expect(await copyFile(join(root, 'src'), join(root, 'dst2'))).toEqual({ id: await oracleId(patterned(1000, 1)), size: 1000 });
  });
});

/** `n` bytes repeating a patterned block of a size that is no multiple of 32 (a lane's stripe). */
function repeated(n: number, seed: number): Buffer {
  return Buffer.alloc(n, patterned(4099, seed));
}

describe('storing a file of COPY_WORKER_MIN_SIZE or more', () => {
  const size = COPY_WORKER_MIN_SIZE + 777;

  it('stores the exact bytes under the id xxhsum gives (lane A), read-only, with no temp file left', async () => {
    const root = await tempRoot();
    const file = join(root, 'big.bin');
    const bytes = repeated(size, 3);
    await writeFile(file, bytes);
    const store = new ObjectStore(join(root, 'objects'));
    const digest = await store.putFileHashing(file, stampOf(await stat(file)));
    expect(digest).toEqual({ id: await hashBytes(bytes), size });
    expect(digest.id.slice(0, 16)).toBe(execFileSync('xxhsum', ['-H1', file], { encoding: 'utf8' }).split(' ')[0]);
    expect(await listFiles(join(root, 'objects'))).toEqual([`${digest.id.slice(0, 2)}/${digest.id.slice(2)}`]);
    expect(readFileSync(store.pathOf(digest.id)).equals(bytes)).toBe(true);
    expect(statSync(store.pathOf(digest.id)).mode & 0o777).toBe(0o444);
  }, 60_000);

  it('refuses a file that changed while it was copied (E_FILE_CHANGED), leaving nothing in the store', async () => {
    const root = await tempRoot();
    const file = join(root, 'big.bin');
    await writeFile(file, repeated(size, 4));
    const store = new ObjectStore(join(root, 'objects'));
    const stamp = stampOf(await stat(file));
    const changing = store.putFileHashing(file, stamp);
    // Appended to while the worker copies it (or before: the stamp shows it either way).
    const append = await open(file, 'a');
    await append.write(Buffer.from('more'));
    await append.close();
    await expect(changing).rejects.toMatchObject({ code: 'E_FILE_CHANGED' });
    expect(await listFiles(join(root, 'objects'))).toEqual([]);
    expect((await readdir(join(root, 'objects'))).length).toBeGreaterThan(0); // the staging folder was made
  }, 60_000);
});
