import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitProject } from './git-project.js';

const pipeline = (version: string): string => `stages:
  make:
    cmd: mkdir -p out && echo "${version}" > out/model.txt && echo "${version} log" > run.log
    outs:
      - out
      - run.log:
          cache: false
`;

describe('stage outputs recorded in lock files', () => {
  let p: GitProject;
  beforeAll(() => {
    p = GitProject.create();
    p.write({ 'pipelines/train.yaml': pipeline('v1') });
    p.dvcts('repro').expectOk();
    p.commit('v1');
    p.write({ 'pipelines/train.yaml': pipeline('v2') });
    p.dvcts('repro').expectOk();
    p.commit('v2');
  });
  afterAll(() => p.cleanup());

  it('repro git-ignores cached outputs only', () => {
    expect(p.read('.gitignore')).toBe('/out\n');
    expect(p.git('status', '--porcelain', '--ignored')).toContain('!! out/');
  });

  it('checkout --rev restores a stage output from the lock file at that revision and skips cache: false outs', () => {
    const run = p.dvcts('checkout', '--rev', 'HEAD~1').expectOk();
    expect(p.read('out/model.txt')).toBe('v1\n');
    expect(run.stderr).toContain('note: skipped run.log');
    expect(p.read('run.log')).toBe('v2 log\n');
    p.dvcts('checkout', 'make').expectOk();
    expect(p.read('out/model.txt')).toBe('v2\n');
  });

  it('diff reports files inside a stage output folder', () => {
    const text = p.dvcts('diff', 'HEAD~1', 'HEAD').expectOk().stdout;
    expect(text).toContain('Modified:\n    out/  (3 -> 3 bytes)\n    out/model.txt');
  });
});
