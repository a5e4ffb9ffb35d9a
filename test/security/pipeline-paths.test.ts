import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sandbox } from './sandbox.js';

/** Case 1 of the security issue: an output path may never name the project, git's or dvcts's own files. */
describe('pipeline paths that would let repro delete the project', () => {
  let sb: Sandbox;
  beforeEach(() => {
    sb = new Sandbox();
    sb.p.write({ 'data/raw.txt': 'raw\n', 'sub/keep.txt': 'keep\n', 'sub/dvc.yaml': 'stages:\n  inner:\n    cmd: echo hi > note.txt\n    outs: [.]\n' });
    sb.p.commit('start');
  });
  afterEach(() => sb.cleanup());

  // Each output below, written as a user could, resolves to a path the rule refuses; the column is where the path starts.
  const cases: [string, string][] = [
    ['.', 'E_PATH_RESERVED'],
    ['./', 'E_PATH_RESERVED'],
    ['.//', 'E_PATH_RESERVED'],
    ['sub/..', 'E_PATH_RESERVED'],
    ['.git', 'E_PATH_RESERVED'],
    ['.git/hooks/post-checkout', 'E_PATH_RESERVED'],
    ['.dvcts', 'E_PATH_RESERVED'],
    ['.dvcts/cache', 'E_PATH_RESERVED'],
    ['pipelines', 'E_PATH_RESERVED'],
    ['pipelines/evil.yaml', 'E_PATH_RESERVED'],
    ['pipelines/bad.lock', 'E_PATH_RESERVED'],
    ['data/raw.txt.dvcts', 'E_PATH_RESERVED'], // a pointer file's name
  ];

  it('refuses each at file:line:col with exit 2, and nothing is deleted', () => {
    const stages = cases.map(([path], i) => `  s${i}:\n    cmd: echo\n    outs: [${JSON.stringify(path)}]\n`).join('');
    const wdirStage = '  up:\n    cmd: echo\n    wdir: sub\n    outs: [..]\n';
    sb.p.write({ 'pipelines/bad.yaml': `stages:\n${stages}${wdirStage}` });
    const before = sb.snapshot();
    const run = sb.p.dvcts('repro');
    expect(run.code).toBe(2);
    cases.forEach(([path, code], i) => {
      expect(run.stderr, path).toContain(`pipelines/bad.yaml:${3 * i + 4}:12: error[${code}]`);
    });
    expect(run.stderr).toContain(`pipelines/bad.yaml:${3 * cases.length + 5}:12: error[E_PATH_RESERVED]`); // wdir sub + ..
    expect(run.stderr).not.toMatch(/\n\s+at /);
    sb.expectSafe(before);
  });

  it("a dvc.yaml's output may not be its own folder", () => {
    const before = sb.snapshot();
    const run = sb.p.dvcts('repro', 'sub/dvc.yaml');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sub/dvc.yaml:4:12: error[E_PATH_RESERVED]');
    sb.expectSafe(before);
  });

  it('`outs: [.]` alone deletes nothing', () => {
    sb.p.sh('rm sub/dvc.yaml');
    sb.p.write({ 'pipelines/root.yaml': 'stages:\n  all:\n    cmd: echo > marker.txt\n    outs: [.]\n' });
    sb.p.commit('root out');
    const before = sb.snapshot();
    expect(sb.p.dvcts('repro').code).toBe(2);
    expect(sb.p.dvcts('repro', '-f').code).toBe(2);
    sb.expectSafe(before);
  });

  it('deps may read pipeline files but not the project root, .git or .dvcts', () => {
    sb.p.sh('rm sub/dvc.yaml');
    sb.p.write({
      'pipelines/deps.yaml': `stages:
  ok:
    cmd: echo > ok.txt
    deps: [pipelines/deps.yaml, data/raw.txt]
    outs: [ok.txt]
  root:
    cmd: echo
    deps: [.]
  git:
    cmd: echo
    deps: [.git/config]
`,
    });
    const run = sb.p.dvcts('repro');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pipelines/deps.yaml:8:12: error[E_PATH_RESERVED]');
    expect(run.stderr).toContain('pipelines/deps.yaml:11:12: error[E_PATH_RESERVED]');
    expect(run.stderr).not.toContain('deps.yaml:4:');
  });
});
