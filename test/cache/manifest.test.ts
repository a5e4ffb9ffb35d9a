import { describe, expect, it } from 'vitest';
import type { ObjectId } from '../../src/core/ids.js';
import { manifestId, parseManifest, serializeManifest, type ManifestEntry } from '../../src/cache/manifest.js';
import { openCache } from '../../src/cache/index.js';
import { tempRoot, writeTree } from './helpers.js';
import { join } from 'node:path';

const A = 'a'.repeat(32) as ObjectId;
const B = 'b'.repeat(32) as ObjectId;

describe('directory manifests', () => {
  it('serialise the same entries identically whatever their order', async () => {
    const entries: ManifestEntry[] = [
      { path: 'z.txt', id: A, size: 1 },
      { path: 'a/b.txt', id: B, size: 2 },
    ];
    const text = serializeManifest(entries);
    expect(text).toBe(serializeManifest([...entries].reverse()));
    expect(text).toBe(
      `{"path":"a/b.txt","id":"${B}","size":2}\n{"path":"z.txt","id":"${A}","size":1}\n`,
    );
    expect(await manifestId(text)).toMatch(/^[0-9a-f]{32}\.dir$/);
  });

  it('round-trip through parse', () => {
    const entries = [{ path: 'x/y', id: A, size: 0 }];
    expect(parseManifest(serializeManifest(entries), 'm.dir', 'p')).toEqual(entries);
    expect(parseManifest('', 'm.dir', 'p')).toEqual([]);
  });

  it.each([
    ['a path escaping the directory', `{"path":"../x","id":"${A}","size":1}\n`],
    ['an absolute path', `{"path":"/etc/x","id":"${A}","size":1}\n`],
    ['a bad id', `{"path":"x","id":"nothex","size":1}\n`],
    ['a negative size', `{"path":"x","id":"${A}","size":-1}\n`],
    ['unsorted paths', `{"path":"b","id":"${A}","size":1}\n{"path":"a","id":"${A}","size":1}\n`],
    ['a missing final newline', `{"path":"x","id":"${A}","size":1}`],
  ])('refuse %s with E_MANIFEST_INVALID', (_label, text) => {
    expect(() => parseManifest(text, 'm.dir', 'p')).toThrow(expect.objectContaining({ code: 'E_MANIFEST_INVALID' }));
  });

  it('give a nested directory one id that ignores file creation order', async () => {
    const root1 = await tempRoot();
    const root2 = await tempRoot();
    await writeTree(join(root1, 'd'), { 'b/c/deep.txt': 'deep', 'a.txt': 'A', 'b/x.txt': 'X' });
    await writeTree(join(root2, 'd'), { 'b/x.txt': 'X', 'a.txt': 'A', 'b/c/deep.txt': 'deep' });
    const info1 = await (await openCache({ root: root1 })).hashPath(join(root1, 'd'));
    const info2 = await (await openCache({ root: root2 })).hashPath(join(root2, 'd'));
    expect(info1).toEqual(info2);
    expect(info1).toMatchObject({ hash: 'xxh128', size: 6, nfiles: 3 });
    const cache = await openCache({ root: root1 });
    await cache.save(join(root1, 'd'));
    const entries = await cache.readManifest(info1!.id);
    expect(entries.map((e) => e.path)).toEqual(['a.txt', 'b/c/deep.txt', 'b/x.txt']);
  });

  it('changes when one file of the directory changes', async () => {
    const root = await tempRoot();
    await writeTree(join(root, 'd'), { 'a.txt': 'A', 'b.txt': 'B' });
    const cache = await openCache({ root });
    const before = await cache.hashPath(join(root, 'd'));
    await writeTree(join(root, 'd'), { 'b.txt': 'BB' });
    expect((await cache.hashPath(join(root, 'd')))!.id).not.toBe(before!.id);
  });
});
