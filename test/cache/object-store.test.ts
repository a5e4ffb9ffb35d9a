import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCache } from '../../src/cache/index.js';
import { hashBytes, hashFile } from '../../src/cache/hash.js';
import { listFiles, modeOf, tempRoot, writeTree } from './helpers.js';
import { compiledCache } from './compiled.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { VerifiedObjects } from '../../src/cache/verified-objects.js';
import { stampOf } from '../../src/cache/state.js';

describe('object store', () => {
  // Child processes import the compiled engine; building it is slow on a busy machine.
  beforeAll(() => compiledCache(), 120_000);

  it('stores a file under objects/ab/cdef…, read-only, with no temp files left', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'data.txt': 'payload' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'data.txt'));
    const id = await hashBytes(Buffer.from('payload'));
    expect(info).toEqual({ hash: 'xxh128', id, size: 7 });
    const objectPath = join(root, '.dvcts/cache/objects', id.slice(0, 2), id.slice(2));
    expect(cache.objectPath(id)).toBe(objectPath);
    expect(await readFile(objectPath, 'utf8')).toBe('payload');
    expect(await modeOf(objectPath)).toBe(0o444);
    expect(await listFiles(cache.objectsDir)).toEqual([`${id.slice(0, 2)}/${id.slice(2)}`]);
    expect(await cache.has(info)).toBe(true);
  });

  it('deduplicates: an object already stored is not written again', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'a.txt': 'same', 'b.txt': 'same' });
    const cache = await openCache({ root });
    const a = await cache.save(join(root, 'a.txt'));
    const before = await stat(cache.objectPath(a.id));
    const b = await cache.save(join(root, 'b.txt'));
    expect(b.id).toBe(a.id);
    const after = await stat(cache.objectPath(a.id));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('stores a directory: every file object plus the manifest', async () => {
    const root = await tempRoot();
    await writeTree(join(root, 'd'), { 'x/1.txt': 'one', '2.txt': 'two' });
    const cache = await openCache({ root });
    const info = await cache.save(join(root, 'd'));
    expect(info.id.endsWith('.dir')).toBe(true);
    expect(await listFiles(cache.objectsDir)).toHaveLength(3);
    expect(await cache.has(info)).toBe(true);
    const entries = await cache.readManifest(info.id);
    await import('node:fs/promises').then((fs) => fs.rm(cache.objectPath(entries[0]!.id), { force: true }));
    expect(await cache.has(info)).toBe(false);
  });

  it.each([
    ['small', 'before', 'after, longer'],
    ['large', 'b'.repeat(300 * 1024), 'a'.repeat(400 * 1024)],
  ])('refuses to store a %s file that changed after it was hashed (E_FILE_CHANGED), leaving nothing', async (_kind, before, after) => {
    const root = await tempRoot();
    await writeTree(root, { 'f.txt': before, 'objects/.keep': '' });
    const store = new ObjectStore(join(root, 'objects'), new VerifiedObjects(join(root, 'verified')));
    const stampThen = stampOf(await stat(join(root, 'f.txt'), { bigint: true }));
    await writeTree(root, { 'f.txt': after });
    const id = await hashBytes(Buffer.from(before));
    await expect(store.putFile(id, join(root, 'f.txt'), stampThen)).rejects.toMatchObject({
      code: 'E_FILE_CHANGED',
      data: { path: join(root, 'f.txt') },
    });
    expect(await listFiles(join(root, 'objects'))).toEqual(['.keep']);
  });

  it('save of a missing path throws E_PATH_NOT_FOUND', async () => {
    const root = await tempRoot();
    const cache = await openCache({ root });
    await expect(cache.save(join(root, 'nope'))).rejects.toMatchObject({ code: 'E_PATH_NOT_FOUND' });
    expect(await cache.hashPath(join(root, 'nope'))).toBeUndefined();
  });

  it('never leaves a partial object under its final name when the writer is SIGKILLed', async () => {
    const root = await tempRoot();
    // The child writes and saves 16 MiB files until it is killed, so the kill lands mid-save.
    const script = `const { openCache } = await import(${JSON.stringify(await compiledCache())});
      const { writeFileSync } = await import('node:fs');
      const root = ${JSON.stringify(root)};
      const cache = await openCache({ root });
      for (let i = 0; ; i++) {
        writeFileSync(root + '/f' + i, Buffer.alloc(16 * 1024 * 1024, i % 256));
        await cache.save(root + '/f' + i);
        if (i === 1) console.log('saving');
      }`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
    await Promise.race([new Promise((r) => child.stdout.once('data', r)), exited]);
    await new Promise((r) => setTimeout(r, 150));
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const objectsDir = join(root, '.dvcts/cache/objects');
    const finals = (await listFiles(objectsDir)).filter((p) => !p.split('/')[1]!.startsWith('.tmp-'));
    expect(finals.length).toBeGreaterThanOrEqual(2);
    for (const rel of finals) {
      // Every object under its final name holds exactly the bytes its name says.
      expect((await hashFile(join(objectsDir, rel))).id).toBe(rel.replace('/', ''));
    }
  }, 30_000);
});
