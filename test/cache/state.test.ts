import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { cp, mkdir, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
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

  it('folds a base and 16 deltas of the same keys holding one entry per key, not one per line read (1M-file checkout)', async () => {
    // 17 emptied checkouts of the same files leave a base and 16 deltas, each a line per file; the
    // 17th folds them. Measured in a child with --expose-gc: the buffers the folded cache keeps,
    // per key. An index entry per line read (18 per key here) kept 1007 bytes per key; one entry
    // per key keeps 118 (its last line, ~80 bytes, and the index), up to 228 seen during the full
    // suite (freed buffers still counted on a busy machine).
    const stateUrl = (await compiledCache()).replace(/index\.js$/, 'state.js');
    const dir = join(await tempRoot(), 'state');
    const N = 50_000;
    const key = (i: number): string => `data/files/d${i % 100}/f${i}.bin`;
    const id = (i: number, r: number): string => (i * 17 + r).toString(16).padStart(32, '0');
    const file = (r: number): string => `dvcts-state 3\n${Array.from({ length: N }, (_, i) => `${key(i)}\t${i}:1024:${r}\t${id(i, r)}\n`).join('')}`;
    await mkdir(dir);
    await writeFile(join(dir, 'base.tsv'), file(0));
    for (let r = 1; r <= 16; r++) await writeFile(join(dir, `delta-${1700000000000 + r}-1-abcdef.tsv`), file(r));
    const script = `const { lazyStateCache } = await import(${JSON.stringify(stateUrl)});
      gc(); const before = process.memoryUsage().arrayBuffers;
      const state = lazyStateCache(${JSON.stringify(dir)});
      for (let i = 0; i < ${N}; i++) state.record('data/files/d' + (i % 100) + '/f' + i + '.bin', i + ':1024:17', (i * 17 + 17).toString(16).padStart(32, '0'));
      await state.flush();
      gc(); console.log((process.memoryUsage().arrayBuffers - before) / ${N});`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--input-type=module', '-e', script]);
    expect(Number(stdout)).toBeLessThan(400);
    // Folded: the base alone, each key once with what was learnt last, in the order keys came.
    expect(await readdir(dir)).toEqual(['base.tsv']);
    expect(await readFile(join(dir, 'base.tsv'), 'utf8')).toBe(file(17));
  }, 60_000);

  it('reads newest first: a later delta beats an earlier one and the base, a later line its own file\'s earlier one, what was learnt unread beats all', async () => {
    const dir = join(await tempRoot(), 'state');
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    const file = (rows: string[]): string => `dvcts-state 3\n${rows.map((r) => `${r}\n`).join('')}`;
    await mkdir(dir);
    // Worked by hand: a -> 4 (newest delta), b -> 3 (the later of two lines in one delta),
    // "q<TAB>x" (quoted) -> 3 likewise, c -> 1 (only the base has it), d -> 2 (only the older delta).
    await writeFile(join(dir, 'base.tsv'), file([`a\t1:1:1\t${id(1)}`, `b\t1:1:1\t${id(1)}`, `"q\\tx"\t1:1:1\t${id(1)}`, `c\t1:1:1\t${id(1)}`]));
    await writeFile(join(dir, 'delta-1700000000001-1-aaaaaa.tsv'), file([`a\t2:1:1\t${id(2)}`, `b\t2:1:1\t${id(2)}`, `"q\\tx"\t2:1:1\t${id(2)}`, `d\t2:1:1\t${id(2)}`, `b\t3:1:1\t${id(3)}`, `"q\\tx"\t3:1:1\t${id(3)}`]));
    await writeFile(join(dir, 'delta-1700000000002-1-bbbbbb.tsv'), file([`a\t4:1:1\t${id(4)}`]));
    // A key twice and nothing else in a file: e -> 8.
    await writeFile(join(dir, 'delta-1700000000003-1-cccccc.tsv'), file([`e\t7:1:1\t${id(7)}`, `e\t8:1:1\t${id(8)}`]));
    const read = await openStateCache(dir);
    const found = (state: typeof read, key: string, stamps: number[]): (string | undefined)[] => stamps.map((n) => state.lookup(key, `${n}:1:1`));
    expect(found(read, 'a', [1, 2, 4])).toEqual([undefined, undefined, id(4)]);
    expect(found(read, 'b', [1, 2, 3])).toEqual([undefined, undefined, id(3)]);
    expect(found(read, 'q\tx', [1, 2, 3])).toEqual([undefined, undefined, id(3)]);
    expect([...found(read, 'c', [1]), ...found(read, 'd', [2]), ...found(read, 'e', [7, 8])]).toEqual([id(1), id(2), undefined, id(8)]);
    // Learnt before reading (twice for a and for the quoted key: the later wins), then read.
    const lazy = lazyStateCache(dir);
    lazy.record('a', '5:1:1', id(5) as never);
    lazy.record('a', '6:1:1', id(6) as never);
    lazy.record('q\tx', '5:1:1', id(5) as never);
    lazy.record('q\tx', '6:1:1', id(6) as never);
    expect([...found(lazy, 'a', [4, 5, 6]), ...found(lazy, 'q\tx', [3, 5, 6]), ...found(lazy, 'b', [3])]).toEqual([undefined, undefined, id(6), undefined, undefined, id(6), id(3)]);
  });

  it('a fold reads its files into one buffer when newer lines give every key (no buffer per chunk read)', async () => {
    // Every 17th checkout into an emptied workspace folds a base and 16 deltas of the same keys
    // after learning them all: read oldest first, every chunk read was held until a newer file
    // replaced its lines (at 1M files, 1.5 GB of 4 MiB buffers through the collector; peak RSS of
    // the fold alone 1.1 GB). Counted in a child: buffers of 1 MiB or more made while it reads.
    const stateUrl = (await compiledCache()).replace(/index\.js$/, 'state.js');
    const dir = join(await tempRoot(), 'state');
    const N = 50_000; // ~4.5 MB of lines per file: two chunks read each
    const key = (i: number): string => `data/files/d${i % 100}/f${i}.bin`;
    const file = (r: number): string => `dvcts-state 3\n${Array.from({ length: N }, (_, i) => `${key(i)}\t${i}:1024:${r}\t${(i + r).toString(16).padStart(32, '0')}\n`).join('')}`;
    await mkdir(dir);
    await writeFile(join(dir, 'base.tsv'), file(0));
    for (let r = 1; r <= 16; r++) await writeFile(join(dir, `delta-${1700000000000 + r}-1-abcdef.tsv`), file(r));
    const script = `const { lazyStateCache } = await import(${JSON.stringify(stateUrl)});
      const state = lazyStateCache(${JSON.stringify(dir)});
      for (let i = 0; i < ${N}; i++) state.record('data/files/d' + (i % 100) + '/f' + i + '.bin', i + ':1024:17', '0'.repeat(32));
      const allocUnsafe = Buffer.allocUnsafe;
      let big = 0;
      Buffer.allocUnsafe = (n) => { if (n >= 1 << 20) big++; return allocUnsafe(n); };
      const found = state.lookup('data/files/d0/f0.bin', '0:1024:16');
      Buffer.allocUnsafe = allocUnsafe;
      console.log(JSON.stringify({ big, found: found ?? null, learnt: state.lookup('data/files/d0/f0.bin', '0:1024:17') }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script]);
    expect(JSON.parse(stdout)).toEqual({ big: 1, found: null, learnt: '0'.repeat(32) });
  }, 60_000);

  it('of two deltas one process writes within a millisecond, the later one wins when read', async () => {
    // The clock stopped: every delta gets the same time. 14 flushes (too few to fold them into a
    // base), each a newer stamp of its key: read in a random order, the last one won 1 time in 7.
    const dir = join(await tempRoot(), 'state');
    const id = (n: number): string => n.toString(16).padStart(32, '0');
    const now = vi.spyOn(Date, 'now').mockReturnValue(1_700_000_000_000);
    try {
      for (let n = 1; n <= 7; n++) {
        const state = await openStateCache(dir);
        state.record('data/a.txt', `${n}:1:1`, id(n) as never);
        await state.flush();
        const lazy = lazyStateCache(dir);
        lazy.record('data/b.txt', `${n}:1:1`, id(n) as never);
        await lazy.flush();
      }
    } finally {
      now.mockRestore();
    }
    const read = await openStateCache(dir);
    expect((await readdir(dir)).length).toBe(14);
    expect([read.lookup('data/a.txt', '7:1:1'), read.lookup('data/b.txt', '7:1:1')]).toEqual([id(7), id(7)]);
  });
});
