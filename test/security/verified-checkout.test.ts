import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashBytes } from '../../src/cache/index.js';
import { TempProject } from '../helpers/project.js';
import { objectPath, pointerId } from './sandbox.js';

/** Overwrites a (read-only) cache object in place, keeping its size. */
function corrupt(path: string, bytes: string): void {
  expect(readFileSync(path).length).toBe(Buffer.byteLength(bytes));
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
  chmodSync(path, 0o444);
}

/** Every object of the cache whose bytes do not hash to its name (an independent re-hash of each file). */
async function badObjects(p: TempProject): Promise<string[]> {
  const dir = p.path('.dvcts/cache/objects');
  const bad: string[] = [];
  for (const prefix of readdirSync(dir)) {
    for (const name of readdirSync(`${dir}/${prefix}`)) {
      if (name.startsWith('.')) continue;
      const id = prefix + name;
      const expected = id.replace(/\.dir$/, '');
      if ((await hashBytes(readFileSync(`${dir}/${prefix}/${name}`))) !== expected) bad.push(id);
    }
  }
  return bad;
}

/** Case 6 of the security issue: an object whose bytes do not match its id is never materialised or trusted. */
describe('verified checkouts', () => {
  let p: TempProject;
  beforeEach(() => {
    p = TempProject.init({ 'data/a.txt': 'alpha\n', 'data/dir/x.txt': 'xx\n', 'data/dir/y.txt': 'yy\n' });
    p.dvcts('add', 'data/a.txt', 'data/dir').expectOk();
  });
  afterEach(() => p.cleanup());

  for (const linkTypes of ['[copy]', '[hardlink, copy]', '[symlink, copy]']) {
    it(`an object overwritten with other bytes of the same size is not checked out (cache.type ${linkTypes})`, () => {
      p.write({ '.dvcts/config.yaml': `cache:\n  type: ${linkTypes}\n` });
      const id = pointerId(p.read('data/a.txt.dvcts'));
      rmSync(p.path('data/a.txt'));
      corrupt(objectPath(p, id), 'omega\n');
      const run = p.dvcts('checkout');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('E_OBJECT_CORRUPT');
      expect(run.stderr).toContain(id);
      expect(existsSync(p.path('data/a.txt'))).toBe(false);
      const status = p.dvcts('status');
      expect(status.stdout).toContain('missing: data/a.txt');
    });
  }

  it('a corrupt object is not trusted after the workspace copy had it either', async () => {
    const id = pointerId(p.read('data/a.txt.dvcts'));
    rmSync(p.path('data/a.txt'));
    corrupt(objectPath(p, id), 'omega\n');
    p.dvcts('checkout'); // refused above; if it were not, the state cache would now call the bad copy "alpha"
    expect(p.dvcts('status').stdout).not.toContain('up to date');
    // The sequence: delete the object, add again: the cache must never hold bytes under another id.
    rmSync(objectPath(p, id), { force: true });
    p.write({ 'data/a.txt': 'alpha\n' });
    p.dvcts('add', 'data/a.txt').expectOk();
    expect(await badObjects(p)).toEqual([]);
  });

  it('a folder manifest with two ids swapped is refused before any file is written', () => {
    const dirId = pointerId(p.read('data/dir.dvcts'));
    const manifestPath = objectPath(p, dirId);
    const manifest = readFileSync(manifestPath, 'utf8');
    const [x, y] = [...manifest.matchAll(/"id":"([0-9a-f]{32})"/g)].map((m) => m[1]!);
    const swapped = manifest.replace(x!, 'X').replace(y!, x!).replace('X', y!);
    rmSync(p.path('data/dir'), { recursive: true });
    corrupt(manifestPath, swapped);
    const run = p.dvcts('checkout');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('E_OBJECT_CORRUPT');
    expect(existsSync(p.path('data/dir'))).toBe(false);
  });

  it('add never stores bytes under an id the state cache remembered wrongly', async () => {
    // A state cache entry that names another id for data/b.txt as it is now (a damaged or forged cache).
    p.write({ 'data/b.txt': 'bravo\n' });
    const { ino, size, mtimeMs } = (await import('node:fs')).statSync(p.path('data/b.txt'));
    const wrongId = pointerId(p.read('data/a.txt.dvcts'));
    rmSync(objectPath(p, wrongId));
    p.write({ [`.dvcts/tmp/state/delta-9-9-aaaaaa.tsv`]: `dvcts-state 3\ndata/b.txt\t${ino}:${size}:${mtimeMs}\t${wrongId}\n` });
    p.dvcts('add', 'data/b.txt').expectOk();
    expect(await badObjects(p)).toEqual([]);
    expect(pointerId(p.read('data/b.txt.dvcts'))).toBe(await hashBytes(Buffer.from('bravo\n')));
  });

  it('add of a folder (the many-files walk) never stores bytes under an id the state cache remembered wrongly', async () => {
    p.write({ 'data/dir/x.txt': 'x changed\n' });
    const { ino, size, mtimeMs } = (await import('node:fs')).statSync(p.path('data/dir/x.txt'));
    const wrongId = pointerId(p.read('data/a.txt.dvcts'));
    rmSync(objectPath(p, wrongId));
    p.write({ [`.dvcts/tmp/state/delta-9-9-aaaaaa.tsv`]: `dvcts-state 3\ndata/dir/x.txt\t${ino}:${size}:${mtimeMs}\t${wrongId}\n` });
    p.dvcts('add', 'data/dir').expectOk();
    expect(await badObjects(p)).toEqual([]);
    const manifest = readFileSync(objectPath(p, pointerId(p.read('data/dir.dvcts'))), 'utf8');
    expect(manifest).toContain(`"path":"x.txt","id":"${await hashBytes(Buffer.from('x changed\n'))}"`);
  });
});
