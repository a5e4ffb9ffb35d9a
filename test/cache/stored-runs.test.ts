import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import xxhash from 'xxhash-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCache, stateDirOf } from '../../src/cache/index.js';
import { tempRoot } from './helpers.js';

// A re-add copies the manifest lines of runs whose files kept their stamps from the manifest the
// folder was last stored under (src/cache/stored-runs.ts). These check the manifest it writes
// against one built here from the files alone (xxhash-wasm's own h64 for the ids), after changes
// that a copied line would get wrong, and with a damaged or stale record of the runs.
const RUNS = '.dvcts/tmp/stored-runs';
const FILES = 1200; // runs of 256 files on average

let h64: (data: Uint8Array, seed: bigint) => bigint;
beforeAll(async () => {
  ({ h64Raw: h64 } = await xxhash());
});

/** The content id the store uses (two seeded XXH64 lanes), computed independently. */
function idOf(bytes: Buffer): string {
  const lane = (seed: bigint): string => h64(bytes, seed).toString(16).padStart(16, '0');
  return lane(0n) + lane(0x9e3779b97f4a7c15n);
}

/** The manifest of `dir` as its files are now: sorted JSON lines (ASCII names, no escapes). */
function expectedManifest(dir: string, names: readonly string[]): string {
  return [...names].sort().map((name) => {
    const bytes = readFileSync(join(dir, name));
    return `{"path":"${name}","id":"${idOf(bytes)}","size":${bytes.length}}\n`;
  }).join('');
}

async function project(): Promise<{ root: string; dir: string; names: string[] }> {
  const root = await tempRoot();
  const dir = join(root, 'data');
  const names: string[] = [];
  for (let d = 0; d < 30; d++) mkdirSync(join(dir, `d${d}`), { recursive: true });
  for (let i = 0; i < FILES; i++) {
    const name = `d${i % 30}/f${i}.txt`;
    writeFileSync(join(dir, name), `file ${i}\n`);
    utimesSync(join(dir, name), 1_600_000_000, 1_600_000_000); // equal mtimes: only inodes tell files apart
    names.push(name);
  }
  return { root, dir, names };
}

/** A save in a fresh process-like cache, flushed; the manifest bytes it stored. */
async function store(root: string, dir: string): Promise<string> {
  const cache = await openCache({ root });
  const info = await cache.save(dir);
  await cache.flush();
  return readFileSync(cache.objectPath(info.id), 'utf8');
}

function rewrite(path: string, text: string): void {
  rmSync(path); // a new inode, and a new mtime
  writeFileSync(path, text);
}

describe('stored runs: a re-add copies what did not change', () => {
  it('gives the manifest of the files as they are, hashing only the run that changed', async () => {
    const { root, dir, names } = await project();
    expect(await store(root, dir)).toBe(expectedManifest(dir, names));
    const runs = readFileSync(join(root, RUNS), 'utf8').split('\n')[1]!.split('\t')[4]!.split(';');
    expect(runs.length).toBeGreaterThan(2);
    // Without a state cache, every file a re-add does not copy is read, hashed and learnt again.
    rmSync(stateDirOf(root), { recursive: true });
    rewrite(join(dir, 'd7/f7.txt'), 'changed, and longer\n');
    expect(await store(root, dir)).toBe(expectedManifest(dir, names));
    const learnt = readdirSync(stateDirOf(root)).map((f) => readFileSync(join(stateDirOf(root), f), 'utf8').split('\n').length - 2);
    expect(learnt.reduce((a, b) => a + b, 0)).toBeLessThan(FILES / 2);
  });

  it('sees a file added, removed, or two files swapping names with equal sizes and mtimes', async () => {
    const { root, dir, names } = await project();
    await store(root, dir);
    writeFileSync(join(dir, 'd3/new.txt'), 'new\n');
    rmSync(join(dir, 'd4/f4.txt'));
    // Same size, same mtime (writeTree's): only the inode tells them apart.
    renameSync(join(dir, 'd0/f30.txt'), join(dir, 'd0/tmp'));
    renameSync(join(dir, 'd0/f60.txt'), join(dir, 'd0/f30.txt'));
    renameSync(join(dir, 'd0/tmp'), join(dir, 'd0/f60.txt'));
    const now = [...names.filter((n) => n !== 'd4/f4.txt'), 'd3/new.txt'];
    expect(readFileSync(join(dir, 'd0/f30.txt'), 'utf8')).toBe('file 60\n');
    expect(await store(root, dir)).toBe(expectedManifest(dir, now));
  });

  it('ignores a damaged record of the runs, never trusting it', async () => {
    const { root, dir, names } = await project();
    const first = await store(root, dir);
    const firstId = `${idOf(Buffer.from(first))}.dir`;
    rewrite(join(dir, 'd9/f9.txt'), 'file 9?\n'); // same size: every line stays where it was
    await store(root, dir);
    // The record now names the first manifest, whose lines are where the second's are, but its
    // line for d9/f9.txt has the old id: trusting the line would copy that.
    const [header, line] = readFileSync(join(root, RUNS), 'utf8').split('\n');
    const fields = line!.split('\t');
    fields[1] = firstId;
    writeFileSync(join(root, RUNS), `${header}\n${fields.join('\t')}\n`);
    expect(await store(root, dir)).toBe(expectedManifest(dir, names));
  });

  it('a stale record (of an earlier store) copies nothing that changed since', async () => {
    const { root, dir, names } = await project();
    await store(root, dir);
    const stale = join(root, 'stale-runs');
    copyFileSync(join(root, RUNS), stale);
    rewrite(join(dir, 'd9/f9.txt'), 'changed: another size\n');
    await store(root, dir);
    copyFileSync(stale, join(root, RUNS));
    expect(await store(root, dir)).toBe(expectedManifest(dir, names));
  });
});
