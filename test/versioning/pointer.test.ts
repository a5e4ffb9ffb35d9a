import { lstatSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { PointerOut } from '../../src/api/pointer.js';
import { formatPointer, parsePointer } from '../../src/api/pointer-yaml.js';
import { unprotect } from '../../src/api/unprotect.js';
import { DvctsError } from '../../src/core/errors.js';
import type { ObjectId } from '../../src/core/ids.js';
import { ignoreRuleFor } from '../../src/scm/gitignore.js';
import { TempProject } from '../helpers/project.js';

const dirOut: PointerOut = { path: 'images', hash: 'xxh128', id: `${'ab'.repeat(16)}.dir` as ObjectId, size: 120, nfiles: 3 };

function parseError(text: string): DvctsError {
  try {
    parsePointer(text, 'd/x.dvcts');
  } catch (e) {
    expect(e).toBeInstanceOf(DvctsError);
    return e as DvctsError;
  }
  throw new Error('expected E_POINTER_INVALID');
}

describe('pointer files', () => {
  it('round-trips deterministically', () => {
    const text = formatPointer([dirOut]);
    expect(parsePointer(text, 'x.dvcts')).toEqual([dirOut]);
    expect(formatPointer(parsePointer(text, 'x.dvcts'))).toBe(text);
    expect(formatPointer([{ ...dirOut, path: 'a: b #c' }])).toContain(`- path: "a: b #c"\n`);
  });

  it('reports each kind of nonsense with the line and column', () => {
    const valid = formatPointer([dirOut]);
    const cases: [string, number, string][] = [
      [valid.replace('hash: xxh128', 'hash: md5'), 4, 'hash'],
      [valid.replace('size: 120', 'size: -1'), 6, 'size'],
      [valid.replace('- path: images', '- path: [images]'), 3, 'path'],
      [valid.replace(/id: \S+/, `id: ${'ab'.repeat(16)}`), 7, 'nfiles'],
      ['outs: {}\n', 1, 'outs'],
      ['outs:\n  - [1, 2]\n', 2, 'mapping'],
      ['outs: [\n', 2, 'YAML'],
    ];
    for (const [text, line, word] of cases) {
      const e = parseError(text);
      expect(e.code).toBe('E_POINTER_INVALID');
      expect(e.data.line, text).toBe(line);
      expect(e.message).toContain(`d/x.dvcts:${line}:`);
      expect(e.message).toContain(word);
    }
  });
});

describe('gitignore rules', () => {
  it('anchors the name and escapes glob characters', () => {
    expect(ignoreRuleFor('images')).toBe('/images');
    expect(ignoreRuleFor('a*b?[c]!#')).toBe('/a\\*b\\?\\[c\\]\\!\\#');
  });
});

describe('dvcts unprotect', () => {
  it('turns hard links into the cache into private writable copies', async () => {
    const p = TempProject.init({ '.dvcts/config.yaml': 'cache:\n  type: [hardlink, copy]\n', 'data/a.txt': 'a\n' });
    try {
      p.dvcts('add', 'data/a.txt').expectOk();
      expect(lstatSync(p.path('data/a.txt')).nlink).toBe(2);
      expect(await unprotect({ cwd: p.root, paths: ['data/a.txt'] })).toEqual(['data/a.txt']);
      const stats = statSync(p.path('data/a.txt'));
      expect(stats.nlink).toBe(1);
      expect(stats.mode & 0o200).not.toBe(0);
      expect(p.read('data/a.txt')).toBe('a\n');
    } finally {
      p.cleanup();
    }
  });
});
