import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkout } from '../../src/api/checkout.js';
import { DvctsError } from '../../src/core/errors.js';
import { TempProject } from '../helpers/project.js';
import { GitProject } from './git-project.js';

async function failure(promise: Promise<unknown>): Promise<DvctsError> {
  const e = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(DvctsError);
  return e as DvctsError;
}

describe('checkout never loses data', () => {
  let p: GitProject;
  beforeEach(() => {
    p = GitProject.create();
    p.write({ 'data/table.csv': 'id,label\n1,a\n', 'data/dir/x.txt': 'x1\n' });
    p.dvcts('add', 'data/table.csv', 'data/dir').expectOk();
    p.commit('v1');
  });
  afterEach(() => p.cleanup());

  it('refuses to overwrite an unsaved edit, saves it into the cache, and --force then overwrites', async () => {
    chmodSync(p.path('data/table.csv'), 0o644);
    p.write({ 'data/table.csv': 'id,label\n1,a\n2,b unsaved\n' });
    const e = await failure(checkout({ cwd: p.root }));
    expect(e.code).toBe('E_CHECKOUT_CONFLICT');
    const [conflict] = e.data.paths as { path: string; id: string; objectPath: string }[];
    expect(conflict?.path).toBe('data/table.csv');
    expect(readFileSync(conflict!.objectPath, 'utf8')).toBe('id,label\n1,a\n2,b unsaved\n');
    expect(p.read('data/table.csv')).toBe('id,label\n1,a\n2,b unsaved\n');

    const cli = p.dvcts('checkout');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('E_CHECKOUT_CONFLICT');
    // the CLI names the object relative to the project root (the API's data has it absolute)
    expect(cli.stderr).toContain(`cp ${relative(p.root, conflict!.objectPath)} data/table.csv`);
    expect(cli.stderr).not.toMatch(/\n\s+at /); // no stack trace

    const forced = p.dvcts('checkout', '--force').expectOk();
    expect(forced.stderr).toContain(conflict!.id);
    expect(p.read('data/table.csv')).toBe('id,label\n1,a\n');
    expect(readFileSync(conflict!.objectPath, 'utf8')).toBe('id,label\n1,a\n2,b unsaved\n');
  });

  it('treats a new file inside a tracked folder as unsaved too', async () => {
    p.write({ 'data/dir/extra.txt': 'only here\n' });
    const e = await failure(checkout({ cwd: p.root, targets: ['data/dir'] }));
    expect(e.code).toBe('E_CHECKOUT_CONFLICT');
    expect(existsSync(p.path('data/dir/extra.txt'))).toBe(true);
    await checkout({ cwd: p.root, targets: ['data/dir'], force: true });
    expect(existsSync(p.path('data/dir/extra.txt'))).toBe(false);
  });

  it('restores deleted data silently: nothing unsaved is at stake', async () => {
    p.write({ 'data/dir/y.txt': 'y1\n' });
    p.dvcts('add', 'data/dir').expectOk();
    rmSync(p.path('data/dir/y.txt'));
    const partly = await checkout({ cwd: p.root });
    expect(partly.restored).toEqual(['data/dir']);
    expect(p.read('data/dir/y.txt')).toBe('y1\n');
    rmSync(p.path('data/dir'), { recursive: true });
    expect((await checkout({ cwd: p.root })).restored).toEqual(['data/dir']);
    expect(p.snapshot('data/dir')).toEqual({ 'x.txt': 'x1\n', 'y.txt': 'y1\n' });
  });
});

describe('checkout: bad input is a clear error that changes nothing', () => {
  let p: GitProject;
  beforeEach(() => {
    p = GitProject.create();
    p.write({ 'data/a.txt': 'a\n' });
    p.dvcts('add', 'data/a.txt').expectOk();
    p.commit('v1');
  });
  afterEach(() => p.cleanup());

  it('E_POINTER_INVALID points at file:line of a hand-edited pointer; the other pointers are still checked out', async () => {
    p.write({ 'data/b.txt': 'b\n' });
    p.dvcts('add', 'data/b.txt').expectOk();
    rmSync(p.path('data/b.txt'));
    const text = p.read('data/a.txt.dvcts').replace(/id: \S+/, 'id: not-an-id');
    p.write({ 'data/a.txt.dvcts': text });
    const result = await checkout({ cwd: p.root });
    expect(result.problems.map((d) => [d.code, d.range?.file, d.range?.line])).toEqual([['E_POINTER_INVALID', 'data/a.txt.dvcts', 5]]);
    expect(result.restored).toEqual(['data/b.txt']);
    p.write({ 'data/a.txt.dvcts': 'outs: [unclosed\n' });
    const cli = p.dvcts('checkout');
    expect(cli.code).toBe(1);
    expect(cli.stderr).toContain('data/a.txt.dvcts:2:1: error[E_POINTER_INVALID]');
    expect(p.read('data/a.txt')).toBe('a\n');
  });

  it('E_OBJECT_MISSING names the pointer and the fix', async () => {
    const id = /id: (\S+)/.exec(p.read('data/a.txt.dvcts'))![1]!;
    rmSync(p.path(`.dvcts/cache/objects/${id.slice(0, 2)}/${id.slice(2)}`));
    rmSync(p.path('data/a.txt'));
    const e = await failure(checkout({ cwd: p.root }));
    expect(e.code).toBe('E_OBJECT_MISSING');
    expect(e.data.outputs).toEqual([{ path: 'data/a.txt', id, source: 'data/a.txt.dvcts' }]);
    expect(e.hint).toContain('dvcts pull');
    expect(e.hint).toContain('dvcts add data/a.txt');
  });

  it('E_REV_NOT_FOUND for a revision that does not exist', async () => {
    for (const rev of ['no-such-branch', 'deadbeef', 'HEAD~5']) {
      const e = await failure(checkout({ cwd: p.root, rev }));
      expect(e.code, rev).toBe('E_REV_NOT_FOUND');
      expect(e.data.rev).toBe(rev);
    }
    const cli = p.dvcts('checkout', '--rev', 'nope');
    expect(cli.code).toBe(2);
    expect(cli.stderr).toContain("git revision 'nope' does not exist");
  });

  it('E_TARGET_NOT_TRACKED for a target that names nothing', async () => {
    expect((await failure(checkout({ cwd: p.root, targets: ['data/other'] }))).code).toBe('E_TARGET_NOT_TRACKED');
  });
});

it('checkout --rev outside a git repository is E_NOT_GIT', async () => {
  const p = TempProject.init({ 'a.txt': 'a\n' });
  try {
    p.dvcts('add', 'a.txt').expectOk();
    const e = await failure(checkout({ cwd: p.root, rev: 'HEAD' }));
    expect(e.code).toBe('E_NOT_GIT');
    expect(p.dvcts('checkout').expectOk().stdout).toContain('0 restored, 1 unchanged');
  } finally {
    p.cleanup();
  }
});
