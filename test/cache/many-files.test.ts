import { chmod, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { hashBytes } from '../../src/cache/hash.js';
import { manifestId, serializeManifest } from '../../src/cache/manifest.js';
import { listFiles, tempRoot, writeTree } from './helpers.js';

// Names whose manifest order a per-folder sort could get wrong: "a-b" < "a/x" < "a0" because
// '-' < '/' < '0'; code points beyond the BMP (surrogate pairs) sort before U+E000..U+FFFF in
// UTF-16 order; a folder and a file sharing a prefix.
const TREE: Record<string, string> = {
  a: 'file a',
  'a-b': 'dash',
  'a.b': 'dot',
  'a0/z': 'zero',
  'ab/c': 'ab',
  'b/x': 'folder b',
  'b-/y': 'b-dash',
  'b.txt': 'b txt',
  'c d/e': 'space',
  'x/\u{1F600}': 'emoji',
  'x/\uFB00': 'ligature ff',
  'x/é/é': 'accents',
  '日本/語': 'cjk',
  'y/q"b\tc': 'quote and tab: JSON escapes them, read by the slow path',
};

describe('folders of many files: one sorted walk, streamed manifest', () => {
  it('gives the id serializeManifest gives for the same files, whatever the names', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, TREE);
    // The oracle: every file hashed on its own, the manifest sorted by serializeManifest.
    const entries = await Promise.all(Object.entries(TREE).map(async ([path, text]) => ({ path, id: await hashBytes(Buffer.from(text)), size: Buffer.byteLength(text) })));
    const expected = await manifestId(serializeManifest(entries));
    const cache = await openCache({ root });
    expect((await cache.hashPath(dir))?.id).toBe(expected);
    const saved = await cache.save(dir);
    expect(saved.id).toBe(expected);
    // The streamed manifest object holds exactly serializeManifest's bytes.
    expect(await readFile(cache.objectPath(saved.id), 'utf8')).toBe(serializeManifest(entries));
    await rm(dir, { recursive: true });
    await cache.checkout(saved, dir);
    expect(await listFiles(dir)).toEqual(Object.keys(TREE).sort());
    expect(await readFile(join(dir, 'x/\u{1F600}'), 'utf8')).toBe('emoji');
  });

  it('never places an object whose bytes do not hash to its id, and changes nothing when one does not', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charl' });
    const cache = await openCache({ root });
    const info = await cache.save(dir);
    const bad = (await cache.readManifest(info.id)).find((e) => e.path === 'b.txt')!;
    // Same size, other bytes: a size check alone would not see it.
    await chmod(cache.objectPath(bad.id), 0o644);
    await writeFile(cache.objectPath(bad.id), 'BRAVO');
    await rm(join(dir, 'a.txt'));
    await rm(join(dir, 'b.txt'));
    await writeFile(join(dir, 'extra.txt'), 'extra');
    await expect(cache.checkout(info, dir)).rejects.toMatchObject({ code: 'E_OBJECT_CORRUPT', data: { id: bad.id } });
    // The workspace is as it was (a.txt not restored, extra.txt not removed) and no staging is left.
    expect(await listFiles(dir)).toEqual(['c.txt', 'extra.txt']);
    expect((await readdir(root)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('re-stores an object of a folder removed after the folder was stored, though its last manifest lists it', async () => {
    const root = await tempRoot();
    const dir = join(root, 'data');
    await writeTree(dir, { 'a.txt': 'alpha', 'b.txt': 'bravo', 'c.txt': 'charl' });
    const first = await openCache({ root });
    const info = await first.save(dir);
    await first.flush();
    const b = (await first.readManifest(info.id)).find((e) => e.path === 'b.txt')!;
    // The re-add skips the existence check of files its last manifest lists, but not in a
    // fan-out folder changed since: removing the object changed b's.
    await rm(first.objectPath(b.id), { force: true });
    const again = await openCache({ root });
    expect((await again.save(dir)).id).toBe(info.id);
    expect(await readFile(again.objectPath(b.id), 'utf8')).toBe('bravo');
  });
});
