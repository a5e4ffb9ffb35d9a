import { chmod, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SMALL_FILE_LIMIT } from '../../src/cache/hash.js';
import { openCache, stateDirOf } from '../../src/cache/index.js';
import { lazyStateCache } from '../../src/cache/state.js';
import { listFiles, modeOf, tempRoot, writeTree } from './helpers.js';

describe('checkout', () => {
  it('restores a directory: missing files back, extra files and folders removed, edits reverted', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'a.txt': 'A', 'sub/b.txt': 'B', 'sub/deep/c.txt': 'C' });
    const cache = await openCache({ root });
    const info = await cache.save(dir);

    await rm(join(dir, 'sub/b.txt'));
    await writeFile(join(dir, 'a.txt'), 'edited');
    await writeTree(dir, { 'extra.txt': 'x', 'junk/deeper/y.txt': 'y' });
    await cache.checkout(info, dir);

    expect(await listFiles(dir)).toEqual(['a.txt', 'sub/b.txt', 'sub/deep/c.txt']);
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('A');
    expect(await readFile(join(dir, 'sub/b.txt'), 'utf8')).toBe('B');
    await expect(stat(join(dir, 'junk'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await cache.hashPath(dir))?.id).toBe(info.id);
  });

  it('leaves files that already match alone', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'keep.txt': 'K', 'gone.txt': 'G' });
    const cache = await openCache({ root });
    const info = await cache.save(dir);
    const before = await stat(join(dir, 'keep.txt'));
    await rm(join(dir, 'gone.txt'));
    await cache.checkout(info, dir);
    const after = await stat(join(dir, 'keep.txt'));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(await listFiles(dir)).toEqual(['gone.txt', 'keep.txt']);
  });

  it('swaps a file and a folder of the same name in both directions', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'x/inner.txt': 'I', y: 'file y' });
    const cache = await openCache({ root });
    const info = await cache.save(dir);
    await rm(dir, { recursive: true });
    await writeTree(dir, { x: 'now a file', 'y/inner.txt': 'now a folder' });
    await cache.checkout(info, dir);
    expect(await listFiles(dir)).toEqual(['x/inner.txt', 'y']);
    expect(await readFile(join(dir, 'y'), 'utf8')).toBe('file y');
  });

  it('checks out a single file, creating parent folders, into a fresh project', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'f.bin': 'bytes' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'f.bin'));
    await cache.checkout(info, join(root, 'a/b/f.bin'));
    expect(await readFile(join(root, 'a/b/f.bin'), 'utf8')).toBe('bytes');
  });

  it('throws E_OBJECT_MISSING with id and path before touching the workspace', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'a.txt': 'A', 'b.txt': 'B' });
    const cache = await openCache({ root });
    const info = await cache.save(dir);
    const entries = await cache.readManifest(info.id);
    const b = entries.find((e) => e.path === 'b.txt')!;
    await rm(cache.objectPath(b.id));
    await writeFile(join(dir, 'a.txt'), 'local edit');
    await expect(cache.checkout(info, dir)).rejects.toMatchObject({
      code: 'E_OBJECT_MISSING',
      data: { id: b.id, path: join(dir, 'b.txt') },
    });
    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('local edit');
  });

  it('throws E_OBJECT_MISSING for an unknown directory manifest', async () => {
    const root = await tempRoot();
    const cache = await openCache({ root });
    const info = { hash: 'xxh128', id: `${'0'.repeat(32)}.dir`, size: 0, nfiles: 0 } as const;
    await expect(cache.checkout(info as never, join(root, 'd'))).rejects.toMatchObject({ code: 'E_OBJECT_MISSING' });
  });

  it('throws E_OBJECT_CORRUPT when an object has the wrong size', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'f.txt': 'twelve bytes' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'f.txt'));
    await chmod(cache.objectPath(info.id), 0o644);
    await writeFile(cache.objectPath(info.id), 'short');
    await expect(cache.checkout(info, join(root, 'g.txt'))).rejects.toMatchObject({
      code: 'E_OBJECT_CORRUPT',
      data: { id: info.id, expectedSize: 12, actualSize: 5 },
    });
  });

  it('replaces a directory where a file belongs', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'f.txt': 'file' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'f.txt'));
    await rm(join(root, 'f.txt'));
    await mkdir(join(root, 'f.txt/inside'), { recursive: true });
    await cache.checkout(info, join(root, 'f.txt'));
    expect(await readFile(join(root, 'f.txt'), 'utf8')).toBe('file');
  });

  it('checks out into a missing folder (staged whole, renamed once) and into an existing one alike; the state cache learns every file', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'a.txt': 'A', 'sub/b.txt': 'B', 'sub/deep/c.txt': 'C', 'sub/big.bin': Buffer.alloc(SMALL_FILE_LIMIT + 1, 7), 'z/y.txt': 'Y' });
    const cache = await openCache({ root });
    const info = await cache.save(dir);
    const ids = new Map((await cache.readManifest(info.id)).map((e) => [e.path, e.id]));
    const snapshot = async (): Promise<string[][]> =>
      Promise.all((await listFiles(dir)).map(async (rel) => [rel, (await readFile(join(dir, rel))).toString('base64'), String(await modeOf(join(dir, rel)))]));
    const expected = await snapshot();
    // Every file is known under the stamp it has now: a later status hashes nothing.
    const expectStateKnowsAll = async (): Promise<void> => {
      await cache.flush();
      const state = lazyStateCache(stateDirOf(root));
      for (const rel of await listFiles(dir)) {
        const s = await stat(join(dir, rel));
        expect(state.lookup(`data/${rel}`, `${s.ino}:${s.size}:${s.mtimeMs}`), rel).toBe(ids.get(rel));
      }
    };

    await rm(dir, { recursive: true });
    await cache.checkout(info, dir);
    expect(await snapshot()).toEqual(expected);
    expect((await readdir(root)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    await expectStateKnowsAll();

    await writeFile(join(dir, 'a.txt'), 'edited');
    await rm(join(dir, 'sub/deep/c.txt'));
    await rm(join(dir, 'z'), { recursive: true });
    await writeTree(dir, { 'extra/e.txt': 'e', 'sub/extra.txt': 'x' });
    await cache.checkout(info, dir);
    expect(await snapshot()).toEqual(expected);
    expect((await readdir(root)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    await expectStateKnowsAll();
  });
});
