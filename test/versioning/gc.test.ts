import { mkdirSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gc } from '../../src/api/gc.js';
import { expectedV1, GitProject, V1, writeV2 } from './git-project.js';

function idsIn(pointerText: string): string {
  return /id: (\S+)/.exec(pointerText)![1]!;
}

describe('gc', () => {
  let p: GitProject;
  let orphan: string;
  let runCacheOnly: string;

  beforeAll(() => {
    p = GitProject.create();
    p.write(V1);
    p.dvcts('add', 'data/images').expectOk();
    p.commit('v1');
    writeV2(p);
    p.dvcts('add', 'data/images').expectOk();
    p.commit('v2');
    // Added, then replaced before any commit: nothing references it.
    p.write({ 'scratch.txt': 'draft 1\n' });
    p.dvcts('add', 'scratch.txt').expectOk();
    orphan = idsIn(p.read('scratch.txt.dvcts'));
    p.write({ 'scratch.txt': 'draft 2\n' });
    p.dvcts('add', 'scratch.txt').expectOk();
    // An object only the run-cache mentions.
    p.write({ 'run-output.txt': 'from a cached run\n' });
    p.dvcts('add', 'run-output.txt').expectOk();
    runCacheOnly = idsIn(p.read('run-output.txt.dvcts'));
    p.sh('rm run-output.txt.dvcts');
    mkdirSync(p.path('.dvcts/cache/runs/ab'), { recursive: true });
    writeFileSync(p.path('.dvcts/cache/runs/ab/cdef.json'), JSON.stringify({ outs: [{ path: 'run-output.txt', id: runCacheOnly }] }));
  });
  afterAll(() => p.cleanup());

  it('--dry counts without removing', async () => {
    const before = p.objects();
    const result = await gc({ cwd: p.root, scope: 'all-commits', dry: true });
    expect(result.removed).toBe(1);
    expect(result.bytesFreed).toBe('draft 1\n'.length);
    expect(p.objects()).toEqual(before);
  });

  it('--all-commits keeps every version any commit needs and removes what nothing needs', async () => {
    const result = await gc({ cwd: p.root, scope: 'all-commits' });
    expect(result).toMatchObject({ removed: 1, commits: 2 });
    expect(p.objects()).not.toContain(orphan);
    expect(p.objects()).toContain(runCacheOnly);
    p.dvcts('checkout', '--rev', 'HEAD~1').expectOk();
    expect(p.snapshot('data/images')).toEqual(expectedV1());
    p.dvcts('checkout').expectOk();
  });

  it('--workspace (the default) drops objects only old commits need; --all-commits then finds nothing', () => {
    const run = p.dvcts('gc').expectOk();
    // v1's manifest, a.txt v1 and c.bin: the three objects only commit v1 needs.
    expect(run.stdout).toMatch(/^Removed 3 object\(s\)/);
    expect(p.objects()).toContain(runCacheOnly);
    const failed = p.dvcts('checkout', '--rev', 'HEAD~1');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('E_OBJECT_MISSING');
    expect(p.dvcts('gc', '--all-commits').expectOk().stdout).toMatch(/^Removed 0 object/);
  });

  it('refuses two scopes at once', () => {
    const run = p.dvcts('gc', '--all-tags', '--all-commits');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('E_USAGE');
  });
});
