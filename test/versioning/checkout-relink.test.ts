import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

let p: TempProject | undefined;
afterEach(() => p?.cleanup());

/** The cache file of a content id (`.dvcts/cache/objects/ab/cdef…`). */
function objectOf(project: TempProject, pointer: string, index = 0): string {
  const id = [...project.read(pointer).matchAll(/id: (\S+)/g)][index]![1]!;
  return project.path(`.dvcts/cache/objects/${id.slice(0, 2)}/${id.slice(2)}`);
}

describe('checkout --relink', () => {
  it('re-creates unchanged files with the link types now configured; a plain checkout leaves them', () => {
    p = TempProject.init({ '.dvcts/config.yaml': 'cache:\n  type: [copy]\n', 'data.txt': 'payload\n', 'folder/a.txt': 'a\n' });
    p.dvcts('add', 'data.txt', 'folder').expectOk();
    const object = objectOf(p, 'data.txt.dvcts');
    const copyInode = statSync(p.path('data.txt')).ino;
    expect(copyInode).not.toBe(statSync(object).ino); // a copy, not the cache file

    p.write({ '.dvcts/config.yaml': 'cache:\n  type: [hardlink]\n' });
    p.dvcts('checkout').expectOk();
    expect(statSync(p.path('data.txt')).ino).toBe(copyInode); // unchanged files are left alone

    p.dvcts('checkout', '--relink').expectOk();
    expect(statSync(p.path('data.txt')).ino).toBe(statSync(object).ino); // now the cache file itself
    expect(statSync(p.path('data.txt')).nlink).toBe(2);
    expect(p.read('data.txt')).toBe('payload\n');
    expect(statSync(p.path('folder/a.txt')).nlink).toBe(2); // inside tracked folders too
    expect(p.read('folder/a.txt')).toBe('a\n');
  });
});
