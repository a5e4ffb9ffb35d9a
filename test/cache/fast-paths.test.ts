import { readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { HASH_CHUNK_SIZE, SMALL_FILE_LIMIT, hashBytes } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { VerifiedObjects } from '../../src/cache/verified-objects.js';
import { openStateCache, stampOf } from '../../src/cache/state.js';
import { listFiles, modeOf, tempRoot, writeTree } from './helpers.js';

function patterned(n: number, seed: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (Math.imul(i + seed, 2654435761) >>> 24) & 0xff;
  return b;
}

describe('large files are hashed and stored in one read', () => {
  const size = 2 * HASH_CHUNK_SIZE + 12345;

  it('stores the exact bytes under their id, read-only, with no temp file left, and teaches the state cache', async () => {
    const root = await tempRoot();
    const bytes = patterned(size, 1);
    await writeTree(root, { 'big.bin': bytes });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'big.bin'));
    await cache.flush();
    const id = await hashBytes(bytes);
    expect(info).toEqual({ hash: 'xxh128', id, size });
    expect((await readFile(cache.objectPath(id))).equals(bytes)).toBe(true);
    expect(await modeOf(cache.objectPath(id))).toBe(0o444);
    expect(await listFiles(cache.objectsDir)).toEqual([`${id.slice(0, 2)}/${id.slice(2)}`]);
    const state = await openStateCache(join(root, '.dvcts/tmp/state'));
    expect(state.lookup('big.bin', stampOf(await stat(join(root, 'big.bin'))))).toBe(id);
  });

  it('deduplicates: a second copy of stored content leaves the object as it was and no temp file', async () => {
    const root = await tempRoot();
    const bytes = patterned(SMALL_FILE_LIMIT + 1, 2);
    await writeTree(root, { 'a.bin': bytes, 'b.bin': bytes });
    const cache = await openCache({ root });
    const a = await cache.save(join(root, 'a.bin'));
    const before = await stat(cache.objectPath(a.id));
    const b = await cache.save(join(root, 'b.bin'));
    expect(b.id).toBe(a.id);
    const after = await stat(cache.objectPath(a.id));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await listFiles(cache.objectsDir)).toHaveLength(1);
  });

  it('does the same for the large files of a folder, which then lists every file', async () => {
    const root = await tempRoot();
    const big = patterned(HASH_CHUNK_SIZE + 777, 4);
    await writeTree(join(root, 'd'), { 'big.bin': big, 'small.txt': 'small' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'd'));
    const entries = await cache.readManifest(info.id);
    expect(entries.map((e) => [e.path, e.size])).toEqual([['big.bin', big.length], ['small.txt', 5]]);
    expect(entries[0]!.id).toBe(await hashBytes(big));
    expect((await readFile(cache.objectPath(entries[0]!.id))).equals(big)).toBe(true);
    expect(await listFiles(cache.objectsDir)).toHaveLength(3); // two files + the manifest, no temp file
  });

  it('refuses a file that changed since its stat (E_FILE_CHANGED), leaving nothing in the store', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'f.bin': patterned(SMALL_FILE_LIMIT + 10, 3) });
    const stampThen = stampOf(await stat(join(root, 'f.bin')));
    await writeTree(root, { 'f.bin': patterned(SMALL_FILE_LIMIT + 20, 3) });
    const store = new ObjectStore(join(root, 'objects'), new VerifiedObjects(join(root, 'verified')));
    await expect(store.putFileHashing(join(root, 'f.bin'), stampThen)).rejects.toMatchObject({ code: 'E_FILE_CHANGED' });
    expect(await listFiles(join(root, 'objects'))).toEqual([]);
  });
});

describe('state files', () => {
  it('keep keys that hold tabs, newlines, backslashes or quotes, and skip damaged lines', async () => {
    const dir = join(await tempRoot(), 'state');
    const keys = ['plain/a.txt', 'tab\there', 'new\nline', 'back\\slash', '"quoted"', 'ünï 文件'];
    const first = await openStateCache(dir);
    keys.forEach((key, i) => first.record(key, `1:${i}:2.5`, `${String(i).repeat(32)}` as never));
    await first.flush();
    const [name] = await readdir(dir);
    await writeFile(join(dir, name!), `${await readFile(join(dir, name!), 'utf8')}lost\tno-id\nhalf\t1:1:1\tabc`);
    const second = await openStateCache(dir);
    keys.forEach((key, i) => expect(second.lookup(key, `1:${i}:2.5`)).toBe(String(i).repeat(32)));
    expect(second.lookup('plain/a.txt', '1:0:2.')).toBeUndefined();
    expect(second.lookup('lost', 'no-id')).toBeUndefined();
    expect(second.lookup('half', '1:1:1')).toBeUndefined();
  });
});

describe('file stamps', () => {
  it('are the same string from plain and from bigint stats', async () => {
    const root = await tempRoot();
    for (let i = 0; i < 20; i++) {
      const path = join(root, `f${i}`);
      await writeFile(path, `content ${i}`);
      // Odd sub-millisecond parts exercise the float rendering of mtimeMs.
      if (i % 2 === 0) await utimes(path, 1_700_000_000.123457 + i / 7, 1_700_000_000.987654 + i / 3);
      expect(stampOf(await stat(path))).toBe(stampOf(await stat(path, { bigint: true })));
    }
  });
});

describe('a tracked folder whose files are all known', () => {
  async function trackedFolder(): Promise<{ root: string; dir: string }> {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'a.txt': 'alpha', 'sub/b.txt': 'beta', 'sub/c.txt': 'gamma' });
    const cache = await openCache({ root });
    await cache.save(dir);
    await cache.flush();
    return { root, dir };
  }

  /** The id computed from scratch, with no state cache to trust. */
  async function freshId(dir: string): Promise<string | undefined> {
    const cache = await openCache({ root: await tempRoot() });
    return (await cache.hashPath(dir))?.id;
  }

  it('keeps its id while nothing changes', async () => {
    const { root, dir } = await trackedFolder();
    const cache = await openCache({ root });
    const info = await cache.hashPath(dir);
    expect(info).toEqual({ hash: 'xxh128', id: await freshId(dir), size: 14, nfiles: 3 });
    expect(await cache.hashPath(dir)).toEqual(info);
  });

  it.each([
    ['a file edited (same size, new mtime)', async (dir: string) => writeFile(join(dir, 'sub/b.txt'), 'BETA')],
    ['a file renamed', async (dir: string) => rename(join(dir, 'a.txt'), join(dir, 'z.txt'))],
    ['a file added', async (dir: string) => writeFile(join(dir, 'sub/d.txt'), 'delta')],
    // Every remaining file is known here: only the listing itself tells the change.
    ['a file deleted', async (dir: string) => rm(join(dir, 'sub/c.txt'))],
  ])('gets a new, correct id after %s', async (_label, change) => {
    const { root, dir } = await trackedFolder();
    const before = await (await openCache({ root })).hashPath(dir);
    await change(dir);
    const cache = await openCache({ root });
    const after = await cache.hashPath(dir);
    expect(after?.id).not.toBe(before?.id);
    expect(after?.id).toBe(await freshId(dir));
    expect(after?.nfiles).toBe((await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).length);
  });
});
