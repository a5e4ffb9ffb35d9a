import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/cache/hash.js';
import { openCache, stateDirOf } from '../../src/cache/index.js';
import { lazyStateCache, openStateCache, stampOf } from '../../src/cache/state.js';
import type { ObjectId } from '../../src/core/ids.js';
import { compiledCache } from './compiled.js';
import { tempRoot, writeTree } from './helpers.js';

const OLD = 1_600_000_000;

describe('state cache', () => {
  // Child processes import the compiled engine; building it is slow on a busy machine.
  beforeAll(() => compiledCache(), 120_000);

  it('does not re-read a file whose inode, size and mtime are unchanged (documented trade-off)', async () => {
    const root = await tempRoot();
    const path = join(root, 'f.txt');
    await writeTree(root, { 'f.txt': 'aaaa' });
    const first = await openCache({ root });
    const original = await first.hashPath(path);
    await first.flush();

    // Same size, same inode, mtime put back: a new process trusts its state and does not read.
    await writeFile(path, 'bbbb');
    await utimes(path, OLD, OLD);
    const second = await openCache({ root });
    expect((await second.hashPath(path))?.id).toBe(original?.id);

    // Touching the mtime is enough to make it re-hash.
    await utimes(path, OLD + 1, OLD + 1);
    expect((await second.hashPath(path))?.id).toBe(await hashBytes(Buffer.from('bbbb')));
  });

  it('notices a change of size even with the mtime put back', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'f.txt': 'aaaa' });
    const cache = await openCache({ root });
    await cache.hashPath(join(root, 'f.txt'));
    await writeTree(root, { 'f.txt': 'aaaaa' });
    expect((await cache.hashPath(join(root, 'f.txt')))?.id).toBe(await hashBytes(Buffer.from('aaaaa')));
  });

  it('writes nothing when nothing new was learnt, and compacts many deltas into a base', async () => {
    const root = await tempRoot();
    const stateDir = stateDirOf(root);
    const cache = await openCache({ root });
    await cache.flush();
    await expect(readdir(stateDir)).rejects.toMatchObject({ code: 'ENOENT' });
    for (let i = 0; i < 20; i++) {
      await writeTree(root, { [`f${i}`]: `content ${i}` });
      const c = await openCache({ root });
      await c.hashPath(join(root, `f${i}`));
      await c.flush();
    }
    const names = await readdir(stateDir);
    expect(names).toContain('base.tsv');
    expect(names.length).toBeLessThan(18);
    const state = await openStateCache(stateDir);
    for (let i = 0; i < 20; i++) {
      const stats = await stat(join(root, `f${i}`), { bigint: true });
      expect(state.lookup(`f${i}`, stampOf(stats))).toBe(await hashBytes(Buffer.from(`content ${i}`)));
    }
  });

  it('a command that only teaches it writes a delta without reading it, and folds many in', async () => {
    const root = await tempRoot();
    const stateDir = stateDirOf(root);
    for (let i = 0; i < 20; i++) {
      const state = lazyStateCache(stateDir);
      state.record(`f${i}`, `1:${i}:2`, `${'ab'.repeat(16)}` as ObjectId);
      await state.flush();
    }
    // Never read, the files would gain a delta per command: past COMPACT_AFTER (16) they are folded.
    const names = await readdir(stateDir);
    expect(names).toContain('base.tsv');
    expect(names.length).toBeLessThan(18);
    const state = await openStateCache(stateDir);
    for (let i = 0; i < 20; i++) expect(state.lookup(`f${i}`, `1:${i}:2`)).toBe('ab'.repeat(16));
  });

  it('ignores a damaged state file instead of failing', async () => {
    const root = await tempRoot();
    await writeTree(root, { 'f.txt': 'x' });
    await (await openCache({ root })).hashPath(join(root, 'f.txt'));
    const { mkdir } = await import('node:fs/promises');
    await mkdir(stateDirOf(root), { recursive: true });
    await writeFile(join(stateDirOf(root), 'base.tsv'), 'dvcts-state 3\nf.txt\t1:1:1\tnot-an-id\nf.t');
    const cache = await openCache({ root });
    expect((await cache.hashPath(join(root, 'f.txt')))?.id).toBe(await hashBytes(Buffer.from('x')));
  });

  it('stays correct when two processes hash and flush at the same time', async () => {
    const root = await tempRoot();
    const files: Record<string, string> = {};
    for (let i = 0; i < 300; i++) files[`p${i % 2}/f${i}.txt`] = `file number ${i}`;
    await writeTree(root, files);
    const url = await compiledCache();
    const worker = (part: number): Promise<number | null> => {
      // Many small flushes: deltas race with each other and with compactions.
      const script = `const { openCache } = await import(${JSON.stringify(url)});
        for (let round = 0; round < 15; round++) {
          const cache = await openCache({ root: ${JSON.stringify(root)} });
          for (let i = ${part} + round * 20; i < ${part} + round * 20 + 20; i += 2)
            await cache.hashPath(${JSON.stringify(root)} + '/p${part}/f' + i + '.txt');
          await cache.flush();
        }`;
      const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: 'inherit' });
      return new Promise((resolve) => child.once('exit', resolve));
    };
    expect(await Promise.all([worker(0), worker(1)])).toEqual([0, 0]);

    const names = await readdir(stateDirOf(root));
    expect(names.filter((n) => n.startsWith('.tmp-'))).toEqual([]);
    const state = await openStateCache(stateDirOf(root));
    let hits = 0;
    for (const [rel, content] of Object.entries(files)) {
      const known = state.lookup(rel, stampOf(await stat(join(root, rel), { bigint: true })));
      if (known !== undefined) {
        expect(known).toBe(await hashBytes(Buffer.from(content)));
        hits++;
      }
    }
    // Racing compactions may drop a few entries (cost: a re-hash), never most of them.
    expect(hits).toBeGreaterThan(250);
  }, 30_000);

  it('reads state files written by the previous implementation (a Map of strings), odd keys included', async () => {
    // test/fixtures/state-v3: a base and a delta written by dvcts before the in-memory table,
    // with a non-ASCII key, JSON-quoted keys (tab, leading quote, backslash), and a key the delta replaced.
    const dir = join(await tempRoot(), 'state');
    await cp(join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'state-v3'), dir, { recursive: true });
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    const expected: [string, string, string | undefined][] = [
      ['data/plain.txt', '11:5:1600000000000', undefined],
      ['data/plain.txt', '21:5:1700000000000', id(6)],
      ['data/数据/文件.txt', '12:6:1600000000000.5', id(2)],
      ['data/tab\there.txt', '13:7:1600000000001', id(3)],
      ['"quoted".txt', '14:8:1600000000002', id(4)],
      ['data/back\\slash.txt', '15:9:1600000000003', id(5)],
      ['data/数据/文件.txt', '12:6:1600000000000', undefined],
      ['data/other.txt', '11:5:1600000000000', undefined],
    ];
    const check = async (): Promise<void> => {
      const state = await openStateCache(dir);
      for (const [key, stamp, want] of expected) expect([key, stamp, state.lookup(key, stamp)]).toEqual([key, stamp, want]);
      expect(state.has('"quoted".txt') && state.has('data/数据/文件.txt') && !state.has('data/other.txt')).toBe(true);
    };
    await check();
    // What this version writes, and then compacts, reads back the same.
    const state = await openStateCache(dir);
    state.record('data/new\tkey', '31:1:1', id(7) as never);
    state.record('data/新.txt', '32:1:1', id(8) as never);
    await state.flush();
    expected.push(['data/new\tkey', '31:1:1', id(7)], ['data/新.txt', '32:1:1', id(8)]);
    await check();
  });

  it('compacts when a flush replaces most entries, so later commands hold each entry once', async () => {
    const dir = join(await tempRoot(), 'state');
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    const key = (i: number): string => `data/files/d${i % 100}/f${i}.bin`;
    const N = 80_000; // over 5 MiB of lines: more than one chunk read at once
    const first = await openStateCache(dir);
    for (let i = 0; i < N; i++) first.record(key(i), `${i}:1024:1`, id(i) as never);
    await first.flush();
    expect((await readdir(dir)).filter((n) => n.startsWith('delta-'))).toHaveLength(1);
    const second = await openStateCache(dir);
    for (let i = 0; i < N; i++) second.record(key(i), `${i}:1024:2`, id(i + 1) as never);
    await second.flush();
    expect(await readdir(dir)).toEqual(['base.tsv']);
    const third = await openStateCache(dir);
    let found = 0;
    for (let i = 0; i < N; i++) if (third.lookup(key(i), `${i}:1024:2`) === id(i + 1) && third.lookup(key(i), `${i}:1024:1`) === undefined) found++;
    expect(found).toBe(N);
  });

  it('a command that learns before reading keeps what it learnt, odd keys included, when it reads later', async () => {
    const dir = join(await tempRoot(), 'state');
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    const before = await openStateCache(dir);
    before.record('data/plain.txt', '1:1:1', id(1) as never);
    before.record('data/tab\there.txt', '2:1:1', id(2) as never);
    await before.flush();
    // Learnt unread (a tab key, a non-ASCII one, one the base holds under another stamp), then read.
    const state = lazyStateCache(dir);
    state.record('data/plain.txt', '1:1:2', id(3) as never);
    state.record('data/tab\there.txt', '2:1:2', id(4) as never);
    state.record('data/数据.txt', '3:1:1', id(5) as never);
    expect([state.lookup('data/plain.txt', '1:1:2'), state.lookup('data/plain.txt', '1:1:1')]).toEqual([id(3), undefined]);
    expect([state.lookup('data/tab\there.txt', '2:1:2'), state.lookup('data/数据.txt', '3:1:1')]).toEqual([id(4), id(5)]);
    await state.flush();
    const after = await openStateCache(dir);
    expect([after.lookup('data/plain.txt', '1:1:2'), after.lookup('data/tab\there.txt', '2:1:2'), after.lookup('data/数据.txt', '3:1:1')]).toEqual([id(3), id(4), id(5)]);
  });

  it('holds what it learns unread as the lines of its delta, not as JS objects per entry (1M-file checkout)', async () => {
    // Measured in a child with --expose-gc: the JS heap a lazy state cache keeps after learning
    // 200k entries, per entry. The array of [key, stamp, id] strings it replaced kept ~200 bytes.
    const stateUrl = (await compiledCache()).replace(/index\.js$/, 'state.js');
    const dir = join(await tempRoot(), 'state');
    const N = 200_000;
    const script = `const { lazyStateCache } = await import(${JSON.stringify(stateUrl)});
      gc(); const before = process.memoryUsage();
      const state = lazyStateCache(${JSON.stringify(dir)});
      for (let i = 0; i < ${N}; i++) state.record('data/files/d' + (i % 100) + '/f' + i + '.bin', i + ':1024:1700000000000.5', i.toString(16).padStart(32, '0'));
      gc(); const after = process.memoryUsage();
      console.log(JSON.stringify({ heap: (after.heapUsed - before.heapUsed) / ${N}, buffers: (after.arrayBuffers - before.arrayBuffers) / ${N} }));
      await state.flush();`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script]);
    const held = JSON.parse(stdout) as { heap: number; buffers: number };
    expect(held.heap).toBeLessThan(20);
    // The bytes are the delta's lines (~86 each), in buffers of a few MiB.
    expect(held.buffers).toBeLessThan(130);
    const [delta] = (await readdir(dir)).filter((n) => n.startsWith('delta-'));
    const lines = (await readFile(join(dir, delta!), 'utf8')).split('\n');
    expect([lines.length, lines[0], lines[N]]).toEqual([N + 2, 'dvcts-state 3', `data/files/d99/f${N - 1}.bin\t${N - 1}:1024:1700000000000.5\t${(N - 1).toString(16).padStart(32, '0')}`]);
  }, 60_000);
});
