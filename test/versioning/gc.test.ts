import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gc } from '../../src/api/gc.js';
import { expectedV1, GitProject, V1, writeV2 } from './git-project.js';

function idIn(pointerText: string): string {
  return /id: (\S+)/.exec(pointerText)![1]!;
}

/**
 * History (built once; each test gets its own copy, so any test runs alone):
 *   main:    A "v1" (data/images V1, tag v1) - B "v2" (writeV2) - D "notes" (notes.txt)
 *   feature: B - C "feature" (feature.txt)
 * Workspace = D, plus scratch.txt added twice (the first version an orphan), plus an object only
 * a run-cache record names. Objects only A needs: its manifest, a.txt v1 and c.bin (3).
 */
let template: GitProject;
const ids = { orphan: '', feature: '', runCacheOnly: '' };

beforeAll(() => {
  const p = (template = GitProject.create());
  p.write(V1);
  p.dvcts('add', 'data/images').expectOk();
  p.commit('v1');
  p.git('tag', 'v1');
  writeV2(p);
  p.dvcts('add', 'data/images').expectOk();
  p.commit('v2');
  p.git('checkout', '-q', '-b', 'feature');
  p.write({ 'feature.txt': 'only on the feature branch\n' });
  p.dvcts('add', 'feature.txt').expectOk();
  ids.feature = idIn(p.read('feature.txt.dvcts'));
  p.commit('feature');
  p.git('checkout', '-q', 'main');
  p.sh('rm feature.txt');
  p.write({ 'notes.txt': 'notes\n' });
  p.dvcts('add', 'notes.txt').expectOk();
  p.commit('notes');
  p.write({ 'scratch.txt': 'draft 1\n' });
  p.dvcts('add', 'scratch.txt').expectOk();
  ids.orphan = idIn(p.read('scratch.txt.dvcts'));
  p.write({ 'scratch.txt': 'draft 2\n' });
  p.dvcts('add', 'scratch.txt').expectOk();
  p.write({ 'run-output.txt': 'from a cached run\n' });
  p.dvcts('add', 'run-output.txt').expectOk();
  ids.runCacheOnly = idIn(p.read('run-output.txt.dvcts'));
  p.sh('rm run-output.txt.dvcts run-output.txt');
  mkdirSync(p.path('.dvcts/cache/runs/ab'), { recursive: true });
  writeFileSync(p.path('.dvcts/cache/runs/ab/cdef'), JSON.stringify({ outs: [{ path: 'run-output.txt', hash: 'xxh128', id: ids.runCacheOnly, size: 18 }] }));
});
afterAll(() => template.cleanup());

let p: GitProject;
afterEach(() => p?.cleanup());

/** A copy of the template project (git history, cache and workspace). */
function copy(): GitProject {
  const dir = mkdtempSync(join(tmpdir(), 'dvcts-gc-'));
  cpSync(template.root, dir, { recursive: true });
  return Object.assign(Object.create(GitProject.prototype) as GitProject, { root: dir });
}

describe('gc', () => {
  it('--dry counts without removing', async () => {
    p = copy();
    const before = p.objects();
    const result = await gc({ cwd: p.root, scope: 'all-commits', dry: true });
    expect(result).toMatchObject({ removed: 1, bytesFreed: 'draft 1\n'.length, commits: 4 });
    expect(p.objects()).toEqual(before);
  });

  it('--all-commits keeps every version any commit needs and removes what nothing needs', async () => {
    p = copy();
    expect(await gc({ cwd: p.root, scope: 'all-commits' })).toMatchObject({ removed: 1, commits: 4 });
    expect(p.objects()).not.toContain(ids.orphan);
    expect(p.objects()).toEqual(expect.arrayContaining([ids.feature, ids.runCacheOnly]));
    p.dvcts('checkout', '--rev', 'v1').expectOk();
    expect(p.snapshot('data/images')).toEqual(expectedV1());
  });

  it('--workspace (the default) keeps only what the work tree and the run-cache need', () => {
    p = copy();
    // A's 3 objects, feature.txt, and the orphan.
    expect(p.dvcts('gc').expectOk().stdout).toMatch(/^Removed 5 object\(s\)/);
    expect(p.objects()).not.toContain(ids.feature);
    expect(p.objects()).toContain(ids.runCacheOnly);
    const failed = p.dvcts('checkout', '--rev', 'v1');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('E_OBJECT_MISSING');
    expect(p.dvcts('gc', '--all-commits').expectOk().stdout).toMatch(/^Removed 0 object/);
  });

  it('--all-tags keeps the tagged versions, not untagged branches', async () => {
    p = copy();
    expect(await gc({ cwd: p.root, scope: 'all-tags' })).toMatchObject({ removed: 2, commits: 1 });
    expect(p.objects()).not.toContain(ids.feature);
    p.dvcts('checkout', '--rev', 'v1').expectOk();
    expect(p.snapshot('data/images')).toEqual(expectedV1());
  });

  it('--all-branches keeps the tip of every branch, not older tagged commits', async () => {
    p = copy();
    expect(await gc({ cwd: p.root, scope: 'all-branches' })).toMatchObject({ removed: 4, commits: 2 });
    expect(p.objects()).toContain(ids.feature);
    p.dvcts('checkout', '--rev', 'feature').expectOk();
    expect(p.read('feature.txt')).toBe('only on the feature branch\n');
    expect(p.dvcts('checkout', '--rev', 'v1').stderr).toContain('E_OBJECT_MISSING');
  });

  it('refuses two scopes at once', () => {
    p = copy();
    const run = p.dvcts('gc', '--all-tags', '--all-commits');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('E_USAGE');
  });
});
