import { chmodSync, existsSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FsckResult } from '../../src/api/fsck.js';
import { TempProject } from '../helpers/project.js';

const PIPELINE = `stages:
  make:
    cmd: printf 'made\\n' > out/made.txt && printf 'scratch\\n' > out/scratch.txt
    deps: [data/table.csv]
    outs:
      - out/made.txt
      - out/scratch.txt: { cache: false }
`;

/** A project with a tracked file, a tracked folder and a stage with a cached and an uncached output. */
function trackedProject(): TempProject {
  const p = TempProject.init({
    'data/table.csv': 'id,label\n1,a\n2,b\n',
    'data/images/cat/1.txt': 'meow\n',
    'data/images/dog/2.txt': 'woof woof\n',
    'pipelines/p.yaml': PIPELINE,
  });
  p.dvcts('add', 'data/table.csv', 'data/images').expectOk();
  p.dvcts('repro').expectOk();
  return p;
}

function fsckJson(p: TempProject): { code: number; result: FsckResult } {
  const run = p.dvcts('fsck', '--json');
  return { code: run.code, result: JSON.parse(run.stdout) as FsckResult };
}

/** Id and path of the cache object that holds the bytes of a workspace file. */
function objectOf(p: TempProject, dataPath: string): { id: string; path: string } {
  const objects = p.path('.dvcts/cache/objects');
  for (const prefix of readdirSync(objects)) {
    for (const name of readdirSync(join(objects, prefix))) {
      // The default link types copy, so workspace files are independent: compare bytes, not inodes.
      const path = join(objects, prefix, name);
      if (!name.endsWith('.dir') && p.read(dataPath) === readFileSync(path, 'utf8')) return { id: prefix + name, path };
    }
  }
  throw new Error(`no object holds ${dataPath}`);
}

/** Overwrites a read-only cache object in place, as a disk error or a stray editor would. */
function damage(path: string, bytes: string): void {
  chmodSync(path, 0o644);
  writeFileSync(path, bytes);
  chmodSync(path, 0o444);
}

describe('dvcts fsck', () => {
  let p: TempProject;
  beforeEach(() => {
    p = trackedProject();
  });
  afterEach(() => p.cleanup());

  it('passes a sound cache and ignores cache: false outputs and temp files', () => {
    writeFileSync(p.path('.dvcts/cache/objects/.tmp-leftover'), 'x');
    const prefix = readdirSync(p.path('.dvcts/cache/objects')).find((n) => /^[0-9a-f]{2}$/.test(n))!;
    writeFileSync(p.path(`.dvcts/cache/objects/${prefix}/.tmp-abc.123.ff`), 'half');
    const { code, result } = fsckJson(p);
    expect(code).toBe(0);
    expect(result.ok).toBe(true);
    // table.csv, the folder manifest + its 2 files, out/made.txt
    expect(result.checked).toBe(5);
    expect(result.corrupt).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.tempFiles).toHaveLength(1);
    const text = p.dvcts('fsck').expectOk();
    expect(text.stdout).toContain('checked 5 object(s)');
    expect(text.stdout).toContain('1 temp file(s)');
  });

  it('finds an object whose content no longer matches its id, names its user, and the advice repairs it', () => {
    const { id, path } = objectOf(p, 'data/table.csv');
    damage(path, 'id,label\n1,a\n2,X\n'); // same size: only re-hashing can tell
    const { code, result } = fsckJson(p);
    expect(code).toBe(1);
    expect(result.ok).toBe(false);
    const [bad] = result.corrupt;
    expect(bad).toMatchObject({ id, status: 'corrupt', objectPath: path, defect: { kind: 'content', actualSize: 17 } });
    expect(bad!.usedBy).toEqual([{ file: 'data/table.csv.dvcts', output: 'data/table.csv', path: 'data/table.csv' }]);
    expect(bad!.goodCopy).toBe('data/table.csv');
    expect(bad!.fix).toBe(`remove the corrupt object: rm -f ${path}; then re-save it from the intact workspace copy data/table.csv: dvcts add data/table.csv`);

    const text = p.dvcts('fsck');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain(`corrupt ${id}: content does not match its id`);
    expect(text.stdout).toContain('used by: data/table.csv.dvcts -> data/table.csv');

    p.sh(`rm -f ${path}`);
    p.dvcts('add', 'data/table.csv').expectOk();
    expect(fsckJson(p)).toMatchObject({ code: 0, result: { ok: true } });
  });

  it('reports a truncated file inside a tracked folder with the recorded size', () => {
    const { id, path } = objectOf(p, 'data/images/dog/2.txt');
    damage(path, 'wo');
    const { result } = fsckJson(p);
    expect(result.corrupt).toHaveLength(1);
    expect(result.corrupt[0]).toMatchObject({ id, defect: { kind: 'size', expectedSize: 10, actualSize: 2 } });
    expect(result.corrupt[0]!.usedBy).toEqual([{ file: 'data/images.dvcts', output: 'data/images', path: 'data/images/dog/2.txt' }]);
  });

  it('reports missing objects of pointers, folders and stages, with the fix for each', () => {
    const made = objectOf(p, 'out/made.txt');
    const cat = objectOf(p, 'data/images/cat/1.txt');
    rmSync(made.path);
    rmSync(cat.path);
    rmSync(p.path('data/images/cat/1.txt')); // no intact copy left anywhere
    const { code, result } = fsckJson(p);
    expect(code).toBe(1);
    expect(result.corrupt).toEqual([]);
    const byId = new Map(result.missing.map((m) => [m.id, m]));
    expect(byId.get(made.id)).toMatchObject({
      usedBy: [{ file: 'pipelines/p.lock', output: 'out/made.txt', path: 'out/made.txt', stage: 'make' }],
      fix: 'recreate it: dvcts repro --force --single-item make (or dvcts pull, once a remote holds it)',
    });
    expect(byId.get(cat.id)?.fix).toBe(
      'restore it with dvcts pull (once a remote holds it), or put a good copy of data/images/cat/1.txt back and run dvcts add data/images',
    );
    expect(result.missing).toHaveLength(2);

    p.dvcts('repro', '--force', '--single-item', 'make').expectOk();
    p.write({ 'data/images/cat/1.txt': 'meow\n' });
    p.dvcts('add', 'data/images').expectOk();
    expect(fsckJson(p)).toMatchObject({ code: 0, result: { ok: true } });
  });

  it('reports a missing folder manifest, and an unreadable pointer file without stopping', () => {
    const objects = p.path('.dvcts/cache/objects');
    for (const prefix of readdirSync(objects)) {
      for (const name of readdirSync(join(objects, prefix))) if (name.endsWith('.dir')) rmSync(join(objects, prefix, name));
    }
    p.write({ 'data/broken.dvcts': 'outs: [ {path: x, hash: md5' });
    const { code, result } = fsckJson(p);
    expect(code).toBe(1);
    expect(result.missing).toHaveLength(1);
    expect(result.missing[0]!.id).toMatch(/\.dir$/);
    expect(result.missing[0]!.usedBy[0]).toMatchObject({ file: 'data/images.dvcts', path: 'data/images' });
    expect(result.unreadable).toEqual([expect.objectContaining({ file: 'data/broken.dvcts', code: 'E_POINTER_INVALID' })]);
    const text = p.dvcts('fsck');
    expect(text.stdout).toContain('unreadable data/broken.dvcts: [E_POINTER_INVALID]');
    expect(text.stderr).toBe('');
  });
});

describe('checkout refuses a truncated object', () => {
  let p: TempProject;
  beforeEach(() => {
    p = trackedProject();
  });
  afterEach(() => p.cleanup());

  it('fails clearly and creates nothing from truncated data', () => {
    const { path } = objectOf(p, 'data/table.csv');
    rmSync(p.path('data/table.csv'));
    damage(path, 'id,la');
    const run = p.dvcts('checkout', 'data/table.csv');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('E_OBJECT_CORRUPT');
    expect(run.stderr).toContain(`'${relative(p.root, path)}' is corrupt`); // project-relative
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(p.path('data/table.csv'))).toBe(false);
  });

  it('leaves the workspace version in place instead of replacing it with a truncated older one', () => {
    const v1Pointer = p.read('data/table.csv.dvcts');
    const v1 = objectOf(p, 'data/table.csv');
    chmodSync(p.path('data/table.csv'), 0o644);
    p.write({ 'data/table.csv': 'id,label\n1,a\n2,b\n3,c\n' });
    p.dvcts('add', 'data/table.csv').expectOk();
    p.write({ 'data/table.csv.dvcts': v1Pointer }); // back to v1's record, as `git checkout` would
    damage(v1.path, 'id,label\n');
    const run = p.dvcts('checkout');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('E_OBJECT_CORRUPT');
    expect(p.read('data/table.csv')).toBe('id,label\n1,a\n2,b\n3,c\n');
  });

  it('does not touch a tracked folder when one of its objects is truncated', () => {
    const dog = objectOf(p, 'data/images/dog/2.txt');
    rmSync(p.path('data/images/cat/1.txt'));
    truncateSync(p.path('data/images/dog/2.txt'), 0); // workspace changed too: must stay as it is
    chmodSync(dog.path, 0o644);
    truncateSync(dog.path, 3);
    const run = p.dvcts('checkout', 'data/images', '--force');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('E_OBJECT_CORRUPT');
    expect(existsSync(p.path('data/images/cat/1.txt'))).toBe(false);
    expect(p.read('data/images/dog/2.txt')).toBe('');
  });
});
