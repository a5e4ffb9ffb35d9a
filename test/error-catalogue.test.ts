import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderErrorList, sectionOf } from '../scripts/error-list.mjs';
import { errorTables } from '../src/api/error-catalogue.js';

const REPO = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : name.endsWith('.ts') ? [path] : [];
  });
}

const declared = errorTables().flatMap((t) => Object.keys(t.errors));

describe('the error catalogue', () => {
  it('declares every code once', () => {
    expect(declared.filter((code, i) => declared.indexOf(code) !== i)).toEqual([]);
    expect(declared.length).toBeGreaterThan(100);
  });

  it('holds every code written in src/ (an errors.ts left out of errorTables or a definition would show here)', () => {
    const used = new Set(sourceFiles(join(REPO, 'src')).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/'([EW]_[A-Z0-9_]+)'/g)].map((m) => m[1]!)));
    expect([...used].filter((code) => !declared.includes(code)).sort()).toEqual([]);
  });

  it('is what README.md lists (regenerate: npm run build && node scripts/error-list.mjs --write)', () => {
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    expect(sectionOf(readme)).toBe(renderErrorList(errorTables()));
  });

  it('makes a misspelt code, or data that does not match its declaration, a type error', () => {
    const dir = mkdtempSync(join(REPO, 'tmp-catalogue-'));
    try {
      writeFileSync(
        join(dir, 'misuse.ts'),
        [
          "import { DvctsError } from '../src/core/errors.js';",
          "export const ok = new DvctsError('E_LOCK_INVALID', 'x', { data: { path: 'p' } });",
          "export const misspelt = new DvctsError('E_LOCK_INVALD', 'x', { data: { path: 'p' } });",
          "export const wrongData = new DvctsError('E_LOCK_INVALID', 'x', { data: { file: 'p' } });",
          "export const noData = new DvctsError('E_LOCK_INVALID', 'x');",
        ].join('\n'),
      );
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../tsconfig.json', compilerOptions: { noEmit: true, rootDir: '..' }, include: ['../src/**/errors.ts', '../src/core', '.'] }));
      const tsc = spawnSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8' });
      const errors = tsc.stdout.split('\n').filter((l) => l.includes('misuse.ts'));
      expect(errors.map((l) => /misuse\.ts\((\d+),/.exec(l)?.[1])).toEqual(['3', '4', '5']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
