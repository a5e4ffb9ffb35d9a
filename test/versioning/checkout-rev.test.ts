import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diff } from '../../src/api/diff.js';
import { findGitRepo } from '../../src/scm/git-repo.js';
import { resolveRevision } from '../../src/scm/revision.js';
import { expectedV1, expectedV2, GitProject, V1, writeV2 } from './git-project.js';

/** add, commit, change, commit; then move the data between the two commits without moving HEAD. */
describe('checkout --rev and diff across git revisions', () => {
  let p: GitProject;
  let v1: string;
  let v2: string;

  beforeAll(() => {
    p = GitProject.create();
    p.write(V1);
    p.dvcts('add', 'data/images').expectOk();
    v1 = p.commit('v1');
    p.git('tag', '-a', 'v1', '-m', 'annotated tag v1');
    writeV2(p);
    p.dvcts('add', 'data/images').expectOk();
    v2 = p.commit('v2');
  });
  afterAll(() => p.cleanup());

  it('switches the data back and forth, byte-exact, leaving HEAD and tracked files alone', () => {
    const pointerAtV2 = p.read('data/images.dvcts');
    for (const [rev, expected] of [
      ['v1', expectedV1()],
      ['HEAD', expectedV2()],
      [v1.slice(0, 8), expectedV1()],
      ['main', expectedV2()],
      ['HEAD~1', expectedV1()],
      [v2, expectedV2()],
    ] as const) {
      p.dvcts('checkout', '--rev', rev).expectOk();
      expect(p.snapshot('data/images'), `at ${rev}`).toEqual(expected);
      expect(p.git('rev-parse', 'HEAD').trim()).toBe(v2);
      expect(p.read('data/images.dvcts')).toBe(pointerAtV2);
      expect(p.git('status', '--porcelain')).toBe('');
    }
  });

  it('restores the data the work tree records after an old revision was checked out', () => {
    p.dvcts('checkout', '--rev', 'v1').expectOk();
    const run = p.dvcts('checkout', 'data/images.dvcts').expectOk();
    expect(run.stdout).toContain('1 restored');
    expect(p.snapshot('data/images')).toEqual(expectedV2());
    expect(p.dvcts('checkout').expectOk().stdout).toContain('0 restored, 1 unchanged');
  });

  it('diffs files inside the folder between two revisions, with sizes', async () => {
    const result = await diff({ cwd: p.root, a: 'v1', b: 'HEAD' });
    expect(result.added.map((c) => c.path)).toEqual(['data/images/sub/deep/d.txt']);
    expect(result.deleted.map((c) => c.path)).toEqual(['data/images/c.bin']);
    expect(result.modified.map((c) => c.path)).toEqual(['data/images/', 'data/images/a.txt']);
    expect(result.modified[1]).toMatchObject({ old: { size: 9 }, new: { size: 17 } });
    expect(result.deleted[0]?.old?.size).toBe(7);

    const text = p.dvcts('diff', 'v1', 'HEAD').expectOk().stdout;
    expect(text).toMatch(/Added:\n {4}data\/images\/sub\/deep\/d\.txt/);
    expect(text).toContain('files summary: 1 added, 1 deleted, 1 modified');
  });

  it('diffs a revision against the workspace data, including unsaved edits', async () => {
    p.dvcts('checkout').expectOk();
    expect((await diff({ cwd: p.root })).modified).toEqual([]);
    p.write({ 'data/images/sub/b.txt': 'bravo edited\n', 'data/images/new.txt': 'new\n' });
    const json = JSON.parse(p.dvcts('diff', '--json').expectOk().stdout) as { added: { path: string }[]; modified: { path: string }[] };
    expect(json.added.map((c) => c.path)).toEqual(['data/images/new.txt']);
    expect(json.modified.map((c) => c.path)).toEqual(['data/images/', 'data/images/sub/b.txt']);
    p.sh('rm data/images/new.txt');
    p.dvcts('checkout', '--force').expectOk();
    expect(p.snapshot('data/images')).toEqual(expectedV2());
  });

  it('resolves revisions in a linked git worktree: its own HEAD, the shared refs and objects', async () => {
    const wt = p.path('../' + p.root.split('/').pop() + '-wt');
    p.git('worktree', 'add', '-q', '-b', 'side', wt, 'v1');
    try {
      p.git('-C', wt, 'commit', '-q', '--allow-empty', '-m', 'only on side');
      const repo = findGitRepo(wt)!;
      for (const rev of ['HEAD', 'HEAD~1', 'side', 'main', 'v1']) {
        expect(await resolveRevision(repo, rev), rev).toBe(p.git('-C', wt, 'rev-parse', `${rev}^{commit}`).trim());
      }
    } finally {
      p.git('worktree', 'remove', '--force', wt);
    }
  });
});
