import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { RunCache } from '../../src/cache/run-cache.js';
import type { ObjectId } from '../../src/core/ids.js';
import { Remote, remoteSpecOf } from '../../src/api/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

/**
 * What a worker of the distributed executor does, without git or a project: it stores a stage's
 * outputs in a scratch cache, pushes them and the run-cache record by id and fingerprint, and the
 * coordinator (another scratch cache) fetches them back.
 */
describe('remote API by object id and fingerprint', () => {
  it('pushObjects / fetchObjects / pushRunCacheEntry / fetchRunCacheEntry between two scratch caches', async () => {
    const remoteDir = tempDir('dvcts-api-remote-');
    const spec = remoteSpecOf('shared', { url: remoteDir }, '/', 'test');
    const worker = tempDir('dvcts-api-worker-');
    mkdirSync(join(worker, 'out'));
    writeFileSync(join(worker, 'out', 'a.csv'), 'x,y\n1,2\n');
    writeFileSync(join(worker, 'out', 'b.csv'), 'x,y\n3,4\n');
    const cache = await openCache({ root: worker });
    const out = await cache.save(join(worker, 'out'));
    expect(out.id).toMatch(/\.dir$/);
    const fingerprint = 'ab'.repeat(16);
    await RunCache.of(join(worker, '.dvcts', 'cache')).record(fingerprint, [{ path: 'out', hash: 'xxh128', id: out.id, size: out.size, nfiles: 2 }]);

    const pushing = await Remote.open(spec, { cacheDir: join(worker, '.dvcts', 'cache'), jobs: 2 });
    const pushed = await pushing.pushObjects([out.id]);
    expect(pushed).toMatchObject({ pushed: 3, present: 0, missingLocally: [], incomplete: [] });
    expect(await pushing.pushRunCacheEntry(fingerprint)).toBe(true);
    expect(await pushing.pushRunCacheEntry('cd'.repeat(16))).toBe(false); // no such record here
    pushing.close();

    const coordinator = tempDir('dvcts-api-coordinator-');
    const coordinatorCache = join(coordinator, '.dvcts', 'cache');
    const fetching = await Remote.open(spec, { cacheDir: coordinatorCache, jobs: 2 });
    expect(await fetching.fetchRunCacheEntry(fingerprint)).toBe(true);
    const outs = await RunCache.of(coordinatorCache).lookup(fingerprint);
    expect(outs).toEqual([{ path: 'out', hash: 'xxh128', id: out.id, size: out.size, nfiles: 2 }]);
    // The record came with its objects: the folder materialises from the coordinator's cache.
    const again = await fetching.fetchObjects([out.id as ObjectId]);
    expect(again).toMatchObject({ fetched: 0, present: 3, missing: [], corrupt: [] });
    expect(await fetching.fetchRunCacheEntry('cd'.repeat(16))).toBe(false);
    fetching.close();
    await (await openCache({ root: coordinator })).checkout(out, join(coordinator, 'restored'));

    // A record on the remote whose outputs are not all there is not taken: it would restore nothing.
    rmSync(join(remoteDir, 'objects', out.id.slice(0, 2), out.id.slice(2)));
    const third = join(tempDir('dvcts-api-third-'), 'cache');
    const incomplete = await Remote.open(spec, { cacheDir: third, jobs: 2 });
    expect(await incomplete.fetchRunCacheEntry(fingerprint)).toBe(false);
    expect(await RunCache.of(third).lookup(fingerprint)).toBeUndefined();
    incomplete.close();
    expect(readFileSync(join(coordinator, 'restored', 'a.csv'), 'utf8')).toBe('x,y\n1,2\n');
    expect(readFileSync(join(coordinator, 'restored', 'b.csv'), 'utf8')).toBe('x,y\n3,4\n');
  });
});
