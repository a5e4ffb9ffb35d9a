import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { tempRoot, writeTree } from './helpers.js';

// A first add into an empty store makes no existence check per object (object-store.ts,
// putSmallSync): these count the objects renamed into place, which must still be each once.
const renamed = vi.hoisted(() => ({ to: [] as string[] }));
vi.mock(import('node:fs'), async (importOriginal) => {
  const fs = await importOriginal();
  const renameSync: typeof fs.renameSync = (from, to) => {
    renamed.to.push(String(to));
    fs.renameSync(from, to);
  };
  return { ...fs, renameSync, default: { ...fs.default, renameSync } };
});

const objectsWritten = (): string[] => renamed.to.filter((p) => p.includes(join('cache', 'objects')) && !p.endsWith('.dir'));

describe('objects written into an empty store', () => {
  it('writes each object once, though no file is looked for', async () => {
    const root = await tempRoot();
    await writeTree(join(root, 'data'), { 'a.txt': 'same', 'b.txt': 'same', 'c/d.txt': 'same', 'e.txt': 'other' });
    renamed.to = [];
    const cache = await openCache({ root });
    await cache.save(join(root, 'data'));
    expect(objectsWritten()).toHaveLength(2);
    expect(new Set(objectsWritten()).size).toBe(2);
  });

  it('does not write again an object a folder it did not create holds', async () => {
    const root = await tempRoot();
    await writeTree(join(root, 'one'), { 'a.txt': 'same' });
    await writeTree(join(root, 'two'), { 'b.txt': 'same', 'c.txt': 'new' });
    await (await openCache({ root })).save(join(root, 'one'));
    renamed.to = [];
    await (await openCache({ root })).save(join(root, 'two'));
    expect(objectsWritten().map((p) => p.slice(-30))).toHaveLength(1);
  });
});
