import { appendFile, mkdtemp, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileItemCache } from '../../src/cache/item-cache.js';
import { decodeLog } from '../../src/cache/item-log.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'dvcts-items-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

const entry = (i: number): [string, Buffer] => [`["1","apertium","sentence ${i}"]`, Buffer.from(`translation ${i} 汉字`)];
const logPath = (): string => join(dir, 'bt.log');

async function valuesIn(cache: FileItemCache, ids: readonly number[]): Promise<(string | undefined)[]> {
  return Promise.all(ids.map(async (i) => (await cache.get('bt', entry(i)[0]))?.toString()));
}

describe('FileItemCache', () => {
  it('stores a batch in one append and serves it to this and to a later process', async () => {
    const cache = new FileItemCache(dir);
    expect(await cache.get('bt', entry(1)[0])).toBeUndefined(); // loads the (absent) log first
    await cache.putMany('bt', [entry(1), entry(2)]);
    await cache.put('bt', ...entry(3));
    expect(await valuesIn(cache, [1, 2, 3, 4])).toEqual(['translation 1 汉字', 'translation 2 汉字', 'translation 3 汉字', undefined]);
    expect(await valuesIn(new FileItemCache(dir), [1, 2, 3, 4])).toEqual(['translation 1 汉字', 'translation 2 汉字', 'translation 3 汉字', undefined]);
    expect(decodeLog(await readFile(logPath())).skippedBytes).toBe(0);
  });

  it('ignores a torn last frame and still reads frames appended after it', async () => {
    await new FileItemCache(dir).putMany('bt', [entry(1), entry(2)]);
    const intact = (await readFile(logPath())).length;
    await new FileItemCache(dir).putMany('bt', [entry(3), entry(4)]);
    await truncate(logPath(), intact + 20); // killed mid-write: a torn frame
    expect(await valuesIn(new FileItemCache(dir), [1, 2, 3, 4])).toEqual(['translation 1 汉字', 'translation 2 汉字', undefined, undefined]);

    await new FileItemCache(dir).putMany('bt', [entry(5)]); // the next run appends after the torn bytes
    expect(await valuesIn(new FileItemCache(dir), [1, 2, 3, 5])).toEqual(['translation 1 汉字', 'translation 2 汉字', undefined, 'translation 5 汉字']);
    expect(decodeLog(await readFile(logPath())).skippedBytes).toBe(20);
  });

  it('skips a frame whose bytes changed, keeping the others', async () => {
    const cache = new FileItemCache(dir);
    await cache.putMany('bt', [entry(1)]);
    await cache.putMany('bt', [entry(2)]);
    await cache.putMany('bt', [entry(3)]);
    const log = await readFile(logPath());
    const second = log.indexOf('DVI1', 1);
    log[second + 30] = (log[second + 30] as number) ^ 0xff;
    await writeFile(logPath(), log);
    expect(await valuesIn(new FileItemCache(dir), [1, 2, 3])).toEqual(['translation 1 汉字', undefined, 'translation 3 汉字']);
  });

  it('survives garbage before the first frame', async () => {
    await appendFile(logPath(), 'not a frame at all');
    await new FileItemCache(dir).putMany('bt', [entry(1)]);
    expect(await valuesIn(new FileItemCache(dir), [1])).toEqual(['translation 1 汉字']);
  });

  it('keeps every entry when two writers append at the same time', async () => {
    // Two caches (separate descriptors), 40 batches each, all in flight at once on the thread pool.
    const a = new FileItemCache(dir);
    const b = new FileItemCache(dir);
    const batch = (first: number): [string, Buffer][] => Array.from({ length: 25 }, (_, k) => entry(first + k));
    await Promise.all(Array.from({ length: 80 }, (_, n) => (n % 2 === 0 ? a : b).putMany('bt', batch(n * 25))));
    const contents = decodeLog(await readFile(logPath()));
    expect(contents.skippedBytes).toBe(0);
    expect(contents.entries.size).toBe(2000);
    const all = await valuesIn(new FileItemCache(dir), Array.from({ length: 2000 }, (_, i) => i));
    expect(all.every((v, i) => v === `translation ${i} 汉字`)).toBe(true);
  });

  it('refuses a namespace that is not a plain name', async () => {
    await expect(new FileItemCache(dir).get('../x', 'k')).rejects.toMatchObject({ code: 'E_ITEM_CACHE_NAMESPACE' });
  });
});
