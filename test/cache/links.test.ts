import { lstat, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache, unprotect } from '../../src/cache/index.js';
import { Linker } from '../../src/cache/links.js';
import { modeOf, tempRoot, writeTree } from './helpers.js';

describe('link chain', () => {
  it('falls through reflink to copy by default, giving a private writable file', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'a.txt': 'content' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'a.txt'));
    await cache.checkout(info, join(root, 'restored.txt'));
    const restored = await stat(join(root, 'restored.txt'));
    expect(restored.ino).not.toBe((await stat(cache.objectPath(info.id))).ino);
    expect(await modeOf(join(root, 'restored.txt'))).toBe(0o644);
    expect(await readFile(join(root, 'restored.txt'), 'utf8')).toBe('content');
  });

  it('reports which link type of the chain worked', async () => {
    const root = await tempRoot();
    await writeTree(root, { obj: 'x' });
    // ext4 (this machine) has no reflinks, so 'reflink' fails over to 'hardlink'; btrfs/xfs reflink.
    const used = await new Linker(['reflink', 'hardlink']).link(join(root, 'obj'), join(root, 'w1'));
    const sameInode = (await stat(join(root, 'obj'))).ino === (await stat(join(root, 'w1'))).ino;
    expect([used, sameInode]).toEqual(used === 'reflink' ? ['reflink', false] : ['hardlink', true]);
    expect(await new Linker(['symlink', 'copy']).link(join(root, 'obj'), join(root, 'w2'))).toBe('symlink');
  });

  it('hardlink: the workspace file is the object, protected read-only; unprotect copies it', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'a.txt': 'shared bytes' });
    const cache = await openCache({ root, linkTypes: ['hardlink', 'copy'] });
    const info = await cache.save(join(root, 'a.txt'), { relink: true });
    const objectPath = cache.objectPath(info.id);
    expect((await stat(join(root, 'a.txt'))).ino).toBe((await stat(objectPath)).ino);
    expect(await modeOf(join(root, 'a.txt'))).toBe(0o444);

    await unprotect(join(root, 'a.txt'));
    const ws = await stat(join(root, 'a.txt'));
    expect(ws.ino).not.toBe((await stat(objectPath)).ino);
    expect(ws.mode & 0o200).toBe(0o200);
    await writeFile(join(root, 'a.txt'), 'edited');
    expect(await readFile(objectPath, 'utf8')).toBe('shared bytes');
    expect(await modeOf(objectPath)).toBe(0o444);
    expect((await stat(objectPath)).nlink).toBe(1);
  });

  it('symlink: workspace links point into the store; such a dir still hashes; unprotect copies', async () => {
    const root = await tempRoot();
    await writeTree(join(root, 'd'), { 'x.txt': 'X', 'sub/y.txt': 'Y' });
    const cache = await openCache({ root, linkTypes: ['symlink'] });
    const info = await cache.save(join(root, 'd'), { relink: true });
    expect((await lstat(join(root, 'd/sub/y.txt'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(root, 'd/x.txt'))).toMatch(/^.*\.dvcts\/cache\/objects\//);
    expect((await cache.hashPath(join(root, 'd')))?.id).toBe(info.id);

    await unprotect(join(root, 'd'));
    expect((await lstat(join(root, 'd/sub/y.txt'))).isSymbolicLink()).toBe(false);
    expect(await readFile(join(root, 'd/sub/y.txt'), 'utf8')).toBe('Y');
    expect((await cache.hashPath(join(root, 'd')))?.id).toBe(info.id);
  });

  it('refuses a foreign symlink inside a tracked directory with E_SYMLINK', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'outside.txt': 'o', 'd/in.txt': 'i' });
    await symlink(join(root, 'outside.txt'), join(root, 'd/link.txt'));
    const cache = await openCache({ root });
    await expect(cache.hashPath(join(root, 'd'))).rejects.toMatchObject({
      code: 'E_SYMLINK',
      data: { path: join(root, 'd/link.txt'), target: join(root, 'outside.txt') },
    });
  });

  it('unprotect of a missing path throws E_PATH_NOT_FOUND', async () => {
    const root = await tempRoot();
    await expect(unprotect(join(root, 'missing'))).rejects.toMatchObject({ code: 'E_PATH_NOT_FOUND' });
  });
});
