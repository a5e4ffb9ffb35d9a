import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { add } from '../../src/api/add.js';
import { DvctsError } from '../../src/core/errors.js';
import { TempProject } from '../helpers/project.js';

// Counts real file reads (the async hash, and the one-read store of a small file), to prove a
// re-add reads only the files that changed.
const hashed = vi.hoisted(() => ({ paths: [] as string[] }));
vi.mock(import('../../src/cache/hash.js'), async (importOriginal) => {
  const original = await importOriginal();
  return {
    ...original,
    hashFile: async (path: string) => {
      hashed.paths.push(path);
      return original.hashFile(path);
    },
    readSmallFileSync: (path: string) => {
      hashed.paths.push(path);
      return original.readSmallFileSync(path);
    },
  };
});

async function refusal(promise: Promise<unknown>): Promise<DvctsError> {
  const e = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(DvctsError);
  return e as DvctsError;
}

describe('dvcts add', () => {
  let p: TempProject;
  beforeEach(() => {
    p = TempProject.init();
    hashed.paths = [];
  });
  afterEach(() => p.cleanup());

  it('writes a pointer beside the data, stores it in the cache and git-ignores it, idempotently', async () => {
    const files: Record<string, string> = {};
    // 32 KiB each: more than a re-add reads again rather than ask the state cache (dir-store.ts).
    for (let i = 0; i < 200; i++) files[`datasets/raw/images/c${i % 4}/img${i}.txt`] = `image ${i}\n`.repeat(3000).slice(0, 32 * 1024);
    p.write(files);
    const [added] = await add({ cwd: p.root, paths: ['datasets/raw/images'] });
    expect(added).toMatchObject({ path: 'datasets/raw/images', pointer: 'datasets/raw/images.dvcts', info: { nfiles: 200, hash: 'xxh128' } });
    const pointer = p.read('datasets/raw/images.dvcts');
    expect(pointer).toContain('- path: images\n  hash: xxh128\n');
    expect(pointer).toContain(`  id: ${added!.info.id}\n  size: ${added!.info.size}\n  nfiles: 200\n`);
    expect(p.read('datasets/raw/.gitignore')).toBe('/images\n');
    expect(hashed.paths).toHaveLength(200);

    // Re-add after changing one file and adding one: only those two are read.
    hashed.paths = [];
    p.write({ 'datasets/raw/images/c1/img1.txt': 'changed\n', 'datasets/raw/images/new.txt': 'new\n' });
    const [again] = await add({ cwd: p.root, paths: ['datasets/raw/images'] });
    expect(hashed.paths.map((f) => f.slice(p.root.length + 1)).sort()).toEqual(['datasets/raw/images/c1/img1.txt', 'datasets/raw/images/new.txt']);
    expect(again!.info.nfiles).toBe(201);
    expect(again!.gitignores).toEqual([]);
    expect(p.read('datasets/raw/.gitignore')).toBe('/images\n');
    const objectPath = p.path(`.dvcts/cache/objects/${again!.info.id.slice(0, 2)}/${again!.info.id.slice(2)}`);
    expect(readFileSync(objectPath, 'utf8')).toContain('"path":"new.txt"');
  });

  it('keeps existing .gitignore rules and escapes pattern characters', async () => {
    p.write({ '.gitignore': 'node_modules/', 'weird[1]*.csv': 'a\n' });
    await add({ cwd: p.root, paths: ['weird[1]*.csv'] });
    expect(p.read('.gitignore')).toBe('node_modules/\n/weird\\[1\\]\\*.csv\n');
  });

  it('refuses paths outside the project, pointer files and missing paths', async () => {
    p.write({ 'a.txt': 'a\n' });
    expect((await refusal(add({ cwd: p.root, paths: ['../elsewhere'] }))).code).toBe('E_PATH_OUTSIDE_PROJECT');
    expect((await refusal(add({ cwd: p.root, paths: ['.dvcts/config.yaml'] }))).code).toBe('E_PATH_RESERVED');
    expect((await refusal(add({ cwd: p.root, paths: ['pipelines'] }))).code).toBe('E_PATH_RESERVED');
    expect((await refusal(add({ cwd: p.root, paths: ['nope.txt'] }))).code).toBe('E_PATH_NOT_FOUND');
    await add({ cwd: p.root, paths: ['a.txt'] });
    expect((await refusal(add({ cwd: p.root, paths: ['a.txt.dvcts'] }))).code).toBe('E_ADD_POINTER');
  });

  it('refuses a path inside tracked data, or a folder holding tracked data', async () => {
    p.write({ 'data/set/x.txt': 'x\n', 'other/inner/y.txt': 'y\n' });
    await add({ cwd: p.root, paths: ['data/set'] });
    const inside = await refusal(add({ cwd: p.root, paths: ['data/set/x.txt'] }));
    expect(inside.code).toBe('E_ADD_INSIDE_TRACKED');
    expect(inside.data.pointer).toBe('data/set.dvcts');
    await add({ cwd: p.root, paths: ['other/inner'] });
    const outer = await refusal(add({ cwd: p.root, paths: ['other'] }));
    expect(outer.code).toBe('E_ADD_OVERLAPS_TRACKED');
    expect(outer.data.pointer).toBe('other/inner.dvcts');
    // With several paths, every one is checked before any is added (a lone folder is checked
    // while it is stored: one walk instead of two).
    p.write({ 'aaa/z.txt': 'z\n' });
    expect((await refusal(add({ cwd: p.root, paths: ['aaa', 'other'] }))).code).toBe('E_ADD_OVERLAPS_TRACKED');
    expect(existsSync(p.path('aaa.dvcts'))).toBe(false);
  });

  it('refuses a stage output and names the stage and where it is declared', async () => {
    p.write({
      'pipelines/p.yaml': 'stages:\n  make:\n    cmd: echo hi > out/result.txt\n    outs: [out]\n',
      'out/result.txt': 'hi\n',
    });
    const e = await refusal(add({ cwd: p.root, paths: ['out/result.txt'] }));
    expect(e.code).toBe('E_ADD_STAGE_OUTPUT');
    expect(e.data).toMatchObject({ stage: 'pipelines/p.yaml:make', out: 'out' });
    expect(e.message).toContain('pipelines/p.yaml:4');
    const cli = p.dvcts('add', 'out');
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain('dvcts repro');
  });
});
