import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, utimesSync, writeFileSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';
import { expect, it } from 'vitest';
import { copyHashing } from '../../src/cache/copy-hashing.js';
import { HASH_CHUNK_SIZE } from '../../src/cache/hash.js';
import { ObjectStore } from '../../src/cache/object-store.js';
import { stampOf } from '../../src/cache/state.js';
import { tempRoot } from './helpers.js';

// Rewrites random 64 KiB ranges of the file as fast as it can, then puts its mtime back: the
// file's stamp (inode, size, mtime) never shows the change, as with an mmap writer or a tool that
// keeps timestamps. Prints "ready" once started and, when stopped, how many writes it made.
const MTIME = 1_600_000_000;
const WRITER = `
const fs = require('node:fs');
const fd = fs.openSync(process.argv[1], 'r+');
const { size } = fs.fstatSync(fd);
const block = Buffer.alloc(64 * 1024);
let writes = 0, x = 12345;
process.on('SIGTERM', () => { process.stdout.write(' ' + writes); process.exit(0); });
process.stdout.write('ready');
(function batch() {
  for (let i = 0; i < 64; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    block.fill(x & 255);
    fs.writeSync(fd, block, 0, block.length, x % (size - block.length));
    fs.futimesSync(fd, MTIME, MTIME);
    writes++;
  }
  setImmediate(batch); // lets SIGTERM in
})();`.replaceAll('MTIME', String(MTIME));

/** Id by xxhash-wasm's own API (not the lane code under test): XXH64 seeds 0 and 0x9e3779b97f4a7c15. */
async function oracleId(bytes: Uint8Array): Promise<string> {
  const { h64Raw } = await xxhash();
  return [0n, 0x9e3779b97f4a7c15n].map((seed) => h64Raw(bytes, seed).toString(16).padStart(16, '0')).join('');
}

/** Runs `during` while the WRITER rewrites `file`; returns how many writes it made. */
async function whileRewritten(file: string, during: () => Promise<void>): Promise<number> {
  const writer = spawn(process.execPath, ['-e', WRITER, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  writer.stdout.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => writer.on('exit', resolve));
  try {
    while (!out.startsWith('ready')) await new Promise((r) => setTimeout(r, 5));
    await during();
  } finally {
    writer.kill('SIGTERM');
    await exited;
  }
  return Number(out.slice('ready'.length));
}

it('stores exactly the bytes it hashed while another process rewrites the file behind an unchanged stamp', async () => {
  const root = await tempRoot();
  const file = join(root, 'big.bin');
  writeFileSync(file, Buffer.alloc(12 * HASH_CHUNK_SIZE + 777, 7));
  utimesSync(file, MTIME, MTIME);
  const writes = await whileRewritten(file, async () => {
    const store = new ObjectStore(join(root, 'objects'));
    // The stamp as it is between the writer's writes (a stat may fall between a write and its
    // futimes: then, as at the end of an add, the change shows and E_FILE_CHANGED is right).
    const stamp = stampOf({ ...statSync(file), mtimeMs: MTIME * 1000 } as Stats);
    const ids = new Set<string>();
    for (let attempt = 0; attempt < 50 && ids.size < 4; attempt++) {
      try {
        ids.add((await store.putFileHashing(file, stamp)).id);
      } catch (e) {
        expect(e).toMatchObject({ code: 'E_FILE_CHANGED' });
      }
    }
    // The file changed under the adds (its stamp did not): they stored different bytes.
    expect(ids.size).toBeGreaterThan(1);
  });
  expect(writes).toBeGreaterThan(100);
  const objects = readdirSync(join(root, 'objects'), { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  expect(objects.map((e) => e.name).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  expect(objects.length).toBeGreaterThan(1);
  for (const e of objects) {
    const id = `${e.parentPath.slice(-2)}${e.name}`;
    expect(await oracleId(readFileSync(join(e.parentPath, e.name)))).toBe(id);
  }
}, 60_000);

it('copies exactly the bytes it hashed on the worker-thread path too (copy-hashing.ts)', async () => {
  const root = await tempRoot();
  const file = join(root, 'big.bin');
  writeFileSync(file, Buffer.alloc(12 * HASH_CHUNK_SIZE + 777, 7));
  const ids = new Set<string>();
  const writes = await whileRewritten(file, async () => {
    for (let attempt = 0; attempt < 50 && ids.size < 4; attempt++) {
      const copy = join(root, `copy-${attempt}`);
      const input = await open(file, 'r');
      const output = await open(copy, 'wx');
      try {
        const { id } = await copyHashing(input, output, 64 * 1024);
        expect(await oracleId(readFileSync(copy))).toBe(id);
        ids.add(id);
      } finally {
        await input.close();
        await output.close();
      }
    }
  });
  expect(ids.size).toBeGreaterThan(1);
  expect(writes).toBeGreaterThan(100);
}, 60_000);
