import { readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

// Directory stamps (src/cache/dir-stamps.ts) let a no-op status skip the state cache and the
// manifest. These check that every kind of change still shows, including the ones that keep each
// file's size and mtime (only a path or inode differs), and that a damaged stamps file is ignored.
const STAMPS = '.dvcts/tmp/dir-stamps';

function dataState(p: TempProject): string {
  const out = JSON.parse(p.dvcts('status', '--json').expectOk().stdout) as { data: { path: string; state: string }[] };
  return out.data.map((d) => `${d.path}: ${d.state}`).join('\n');
}

describe('directory stamps', () => {
  let p: TempProject;
  afterEach(() => p.cleanup());

  function tracked(): TempProject {
    p = TempProject.init({ 'data/d/a.txt': 'alpha\n', 'data/d/b.txt': 'bravo\n', 'data/d/sub/c.txt': 'charlie\n' });
    p.dvcts('add', 'data/d').expectOk();
    return p;
  }

  it('add records the folder, and an unchanged folder is up to date', () => {
    tracked();
    const lines = readFileSync(p.path(STAMPS), 'utf8').split('\n');
    expect(lines[0]).toBe('dvcts-dir-stamps 1');
    expect(lines[1]).toMatch(/^[0-9a-f]{32}\t[0-9a-f]{32}\.dir\t20\t3\t"data\/d"$/); // 6 + 6 + 8 bytes
    expect(dataState(p)).toBe('data/d: up-to-date');
  });

  // Whole seconds: mtimes set this way are exact, so only the inode or the path tells files apart.
  const T = 1_700_000_000;

  it('a file rewritten with the same size and its mtime put back is still seen (new inode)', () => {
    tracked();
    const file = p.path('data/d/a.txt');
    utimesSync(file, T, T);
    p.dvcts('add', 'data/d').expectOk();
    renameSync(file, p.path('data/a.old'));
    writeFileSync(file, 'ALPHA\n');
    utimesSync(file, T, T);
    expect(statSync(file).mtimeMs).toBe(T * 1000);
    expect(dataState(p)).toBe('data/d: modified');
  });

  it('two files that swap names (same sizes and mtimes) are seen', () => {
    tracked();
    const [a, b] = [p.path('data/d/a.txt'), p.path('data/d/b.txt')];
    utimesSync(a, T, T);
    utimesSync(b, T, T);
    p.dvcts('add', 'data/d').expectOk();
    renameSync(a, p.path('data/d/tmp'));
    renameSync(b, a);
    renameSync(p.path('data/d/tmp'), b);
    expect(dataState(p)).toBe('data/d: modified');
  });

  it('a file moved into another subfolder (same inode, size, mtime) is seen', () => {
    tracked();
    renameSync(p.path('data/d/sub/c.txt'), p.path('data/d/c.txt'));
    expect(dataState(p)).toBe('data/d: modified');
  });

  it('a changed file is seen, and the next status records the new stamps', () => {
    tracked();
    writeFileSync(p.path('data/d/b.txt'), 'bravo, longer\n');
    expect(dataState(p)).toBe('data/d: modified');
    const line = readFileSync(p.path(STAMPS), 'utf8').split('\n')[1]!;
    expect(line.split('\t')[2]).toBe('28'); // 6 + 14 + 8 bytes: the folder as it is now
  });

  it('a damaged or foreign stamps line is ignored, never trusted', () => {
    tracked();
    const [digest, id, size, nfiles, key] = readFileSync(p.path(STAMPS), 'utf8').split('\n')[1]!.split('\t');
    // The digest matches the folder as it is, so each of these lines would be believed if read.
    for (const bad of [`${digest}\tnot-an-id\t${size}\t${nfiles}\t${key}`, `${digest}\t${id!.slice(0, 20)}.dir\t${size}\t${nfiles}\t${key}`, `${digest}\t${id}\t${size}`]) {
      writeFileSync(p.path(STAMPS), `dvcts-dir-stamps 1\n${bad}\n`);
      expect(dataState(p)).toBe('data/d: up-to-date');
    }
    writeFileSync(p.path(STAMPS), `dvcts-dir-stamps 2\n${digest}\tnot-an-id\t${size}\t${nfiles}\t${key}\n`);
    expect(dataState(p)).toBe('data/d: up-to-date');
  });
});
