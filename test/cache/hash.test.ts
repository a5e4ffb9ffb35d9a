import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HASH_CHUNK_SIZE, SMALL_FILE_LIMIT, hashBytes, hashFile } from '../../src/cache/hash.js';
import { tempRoot } from './helpers.js';

function pseudoRandomBytes(n: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

describe('content ids', () => {
  it('are 32 lowercase hex chars, equal for equal bytes, different for different bytes', async () => {
    const a = await hashBytes(Buffer.from('hello'));
    expect(a).toMatch(/^[0-9a-f]{32}$/);
    expect(await hashBytes(Buffer.from('hello'))).toBe(a);
    expect(await hashBytes(Buffer.from('hellp'))).not.toBe(a);
  });

  it('has two differently seeded lanes (the halves differ)', async () => {
    const id = await hashBytes(Buffer.from('some data'));
    expect(id.slice(0, 16)).not.toBe(id.slice(16));
  });

  it('lane A of the empty input is the published XXH64 vector (seed 0)', async () => {
    expect((await hashBytes(new Uint8Array(0))).slice(0, 16)).toBe('ef46db3751d8e999');
  });

  it('hashes an empty file like empty bytes', async () => {
    const root = await tempRoot();
    await writeFile(join(root, 'empty'), '');
    expect(await hashFile(join(root, 'empty'))).toEqual({ id: await hashBytes(new Uint8Array(0)), size: 0 });
  });

  it.each([
    ['one byte under a chunk', HASH_CHUNK_SIZE - 1],
    ['exactly one chunk', HASH_CHUNK_SIZE],
    ['one byte over a chunk', HASH_CHUNK_SIZE + 1],
    ['several chunks and a tail', 2 * HASH_CHUNK_SIZE + 12345],
  ])('streams a file of %s exactly like a one-shot hash', async (_label, size) => {
    const root = await tempRoot();
    const bytes = pseudoRandomBytes(size, size);
    await writeFile(join(root, 'f'), bytes);
    expect(await hashFile(join(root, 'f'))).toEqual({ id: await hashBytes(bytes), size });
  });

  it.each([0, 4096, SMALL_FILE_LIMIT])('takes the sync small-file path for %i bytes with the same id', async (size) => {
    const root = await tempRoot();
    const bytes = pseudoRandomBytes(size, 3);
    await writeFile(join(root, 'f'), bytes);
    expect(await hashFile(join(root, 'f'), size)).toEqual({ id: await hashBytes(bytes), size });
  });

  it('falls back to streaming when a file grew past the small-file limit after its stat', async () => {
    const root = await tempRoot();
    const bytes = pseudoRandomBytes(SMALL_FILE_LIMIT + 5000, 4);
    await writeFile(join(root, 'f'), bytes);
    expect(await hashFile(join(root, 'f'), 10)).toEqual({ id: await hashBytes(bytes), size: bytes.length });
  });

  it('gives the same ids when many files are hashed at once (pooled buffers do not mix)', async () => {
    const root = await tempRoot();
    const contents = Array.from({ length: 20 }, (_, i) => pseudoRandomBytes(1000 + i * 997, i + 7));
    await Promise.all(contents.map((c, i) => writeFile(join(root, `f${i}`), c)));
    const ids = await Promise.all(contents.map((_, i) => hashFile(join(root, `f${i}`))));
    const expected = await Promise.all(contents.map((c) => hashBytes(c)));
    expect(ids.map((d) => d.id)).toEqual(expected);
  });

  // xxhsum is a required test tool (scripts/setup.sh installs it): never skipped when missing.
  it('lane A agrees with the C xxhsum -H1 (found on PATH)', async () => {
    const root = await tempRoot();
    const path = join(root, 'f');
    await writeFile(path, pseudoRandomBytes(HASH_CHUNK_SIZE + 999));
    const reference = execFileSync('xxhsum', ['-H1', path], { encoding: 'utf8' }).split(/\s+/)[0];
    expect((await hashFile(path)).id.slice(0, 16)).toBe(reference);
  });
});
