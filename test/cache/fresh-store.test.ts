import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import type { ObjectId } from '../../src/core/ids.js';
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

describe('ids remembered as fingerprints', () => {
  it('writes an object whose id shares its fingerprint with one written before', async () => {
    const root = await tempRoot();
    const store = new ObjectStore(join(root, 'cache', 'objects'));
    const first = `ab12345678${'0'.repeat(22)}`;
    const second = `ab12345678${'1'.repeat(22)}`; // same digits 2-9, another object
    renamed.to = [];
    store.putSmallSync(first as ObjectId, Buffer.from('one'));
    store.putSmallSync(second as ObjectId, Buffer.from('two'));
    store.putSmallSync(first as ObjectId, Buffer.from('one'));
    expect(objectsWritten().map((p) => p.slice(-30))).toEqual([first.slice(2), second.slice(2)]);
    expect(readFileSync(store.pathOf(second as ObjectId), 'utf8')).toBe('two');
  });
});
