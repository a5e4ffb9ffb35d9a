import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI, TempProject } from '../helpers/project.js';

/** A billion-laughs document: nine levels of nine aliases, ~387 million strings if expanded; `indent` nests it under a key. */
function laughs(indent: string): string {
  const levels = 'abcdefghi';
  const lines = [`${indent}a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i < levels.length; i++) {
    const prev = levels[i - 1]!;
    lines.push(`${indent}${levels[i]}: &${levels[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
  }
  return `${lines.join('\n')}\n`;
}

/** Runs the CLI with a time limit: a hang or a V8 heap abort must not pass for an error. */
function run(cwd: string, ...args: string[]): { code: number | null; stderr: string; ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 30_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stderr: r.stderr, ms: Date.now() - started };
}

/** Case 5 of the security issue: YAML aliases may not hang dvcts or overflow its stack. */
describe('YAML alias bombs and recursive aliases', () => {
  let p: TempProject;
  beforeEach(() => {
    p = TempProject.init({ 'pipelines/ok.yaml': 'stages:\n  s:\n    cmd: echo > s.txt\n    outs: [s.txt]\n' });
  });
  afterEach(() => p.cleanup());

  // The bomb's sixth line (`f: &f [*e,...]`) is the first where aliases add more nodes than the limit.
  const cases: { file: string; text: string; command: string; code: number; where: string }[] = [
    { file: 'pipelines/bomb.yaml', text: `stages:\n  s2:\n    cmd: echo\n    meta:\n${laughs('      ')}`, command: 'status', code: 2, where: 'pipelines/bomb.yaml:10:' },
    { file: 'params.yaml', text: `unused:\n${laughs('  ')}`, command: 'status', code: 2, where: 'params.yaml:7:' },
    { file: 'pipelines/ok.lock', text: `schema: dvcts-lock/1\nunused:\n${laughs('  ')}`, command: 'status', code: 1, where: 'pipelines/ok.lock:8:' },
    { file: '.dvcts/config.yaml', text: `unused:\n${laughs('  ')}`, command: 'status', code: 2, where: '.dvcts/config.yaml:7:' },
    { file: 'pipelines/rec.yaml', text: 'stages:\n  s3:\n    cmd: echo\n    meta:\n      x: &a [*a]\n', command: 'status', code: 2, where: 'pipelines/rec.yaml:5:14' },
    { file: 'params.yaml', text: 'x: &a [1, *a]\n', command: 'repro', code: 2, where: 'params.yaml:1:11' },
    { file: 'pipelines/ok.lock', text: 'schema: dvcts-lock/1\nstages: &s {s: {deps: *s}}\n', command: 'status', code: 1, where: 'pipelines/ok.lock:2:23' },
  ];

  for (const c of cases) {
    it(`${c.file} (${c.where}) is refused at the alias, fast, without a stack trace`, () => {
      p.write({ [c.file]: c.text });
      const r = run(p.root, c.command);
      expect(r.stderr).toContain(c.where);
      expect(r.code).toBe(c.code);
      expect(r.ms).toBeLessThan(10_000);
      expect(r.stderr).not.toMatch(/\n\s+at |Maximum call stack|heap/);
    });
  }

  it('a pointer file with an alias bomb is reported and the rest is checked out', () => {
    p.write({ 'a.txt': 'a\n' });
    spawnSync(process.execPath, [CLI, 'add', 'a.txt'], { cwd: p.root });
    p.write({ 'bomb.dvcts': `outs:\n- path: x\n  hash: xxh128\n  id: 0123456789abcdef0123456789abcdef\n  size: 1\n  meta:\n${laughs('    ')}` });
    p.sh('rm a.txt');
    const r = run(p.root, 'checkout');
    expect(r.ms).toBeLessThan(10_000);
    expect(r.stderr).toContain('bomb.dvcts');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(p.read('a.txt')).toBe('a\n');
  });

  it('anchors and merge keys of ordinary size still work', () => {
    p.write({ 'pipelines/ok.yaml': 'stages:\n  a: &base\n    cmd: touch ${outs}\n    outs: [a.txt]\n  b:\n    <<: *base\n    outs: [b.txt]\n' });
    p.dvcts('repro').expectOk();
    expect(p.sh('ls')).toContain('a.txt\nb.txt\n');
  });
});
