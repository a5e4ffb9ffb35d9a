import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

// A small diamond: a -> (b, c) -> d, plus an unrelated stage e that reads a param.
const PIPELINE = `stages:
  a:
    cmd: cat in.txt > a.txt
    deps: [in.txt]
    outs: [a.txt]
  b:
    cmd: tr a-z A-Z < a.txt > b.txt
    deps: [a.txt]
    outs: [b.txt]
  c:
    cmd: echo "scale=\${scale}" | cat - a.txt > c.txt
    deps: [a.txt]
    outs: [c.txt]
  d:
    cmd: cat b.txt c.txt > d.txt
    deps: [b.txt, c.txt]
    outs: [d.txt]
  e:
    cmd: echo lr > e.txt
    params: [train.lr]
    outs: [e.txt]
`;

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

function diamond(): TempProject {
  project = TempProject.init({
    'pipelines/main.yaml': PIPELINE,
    'params.yaml': 'scale: 2\ntrain:\n  lr: 0.1\n',
    'in.txt': 'hello\n',
  });
  return project;
}

describe('repro', () => {
  it('runs every stage once, then nothing on a second run', () => {
    const p = diamond();
    expect(p.dvcts('repro').expectOk().ran).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(p.read('d.txt')).toBe('HELLO\nscale=2\nhello\n');
    expect(p.read('pipelines/main.lock')).toContain('schema: dvcts-lock/1');
    const second = p.dvcts('repro').expectOk();
    expect(second.ran).toEqual([]);
    expect(second.stderr).toContain("Stage 'd' is up to date");
  });

  it('reruns exactly the edited dep’s stage and its descendants', () => {
    const p = diamond();
    p.dvcts('repro').expectOk();
    p.write({ 'in.txt': 'world\n' });
    expect(p.dvcts('repro').expectOk().ran).toEqual(['a', 'b', 'c', 'd']);
    expect(p.read('d.txt')).toBe('WORLD\nscale=2\nworld\n');
  });

  it('does not rerun descendants when a rerun produces identical output', () => {
    const p = diamond();
    p.dvcts('repro').expectOk();
    p.write({ 'in.txt': 'hello\n' }); // same bytes, new mtime
    expect(p.dvcts('repro').expectOk().ran).toEqual([]);
  });

  it('reruns only the stages that use a changed param (declared or interpolated)', () => {
    const p = diamond();
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'scale: 2\ntrain:\n  lr: 0.5\n' });
    expect(p.dvcts('status').stdout).toContain('param changed: params.yaml:train.lr 0.1 -> 0.5');
    expect(p.dvcts('repro').expectOk().ran).toEqual(['e']);
    p.write({ 'params.yaml': 'scale: 3\ntrain:\n  lr: 0.5\n' });
    expect(p.dvcts('repro').expectOk().ran).toEqual(['c', 'd']);
    expect(p.read('c.txt')).toBe('scale=3\nhello\n');
  });

  it('runs independent stages at the same time', () => {
    // Each stage records its start (written whole, via mv, so the other never sees an empty file),
    // waits until both have started (or 5 s), then records its end.
    const stage = (n: string): string => `  s${n}:
    cmd: date +%s%N > t${n}; mv t${n} start${n}; i=0; while [ ! -f start1 ] || [ ! -f start2 ]; do sleep 0.05; i=$((i+1)); [ $i -gt 100 ] && break; done; date +%s%N > end${n}
    outs: [start${n}, end${n}]
`;
    project = TempProject.init({ 'pipelines/p.yaml': `stages:\n${stage('1')}${stage('2')}` });
    project.dvcts('repro', '--jobs', '2').expectOk();
    const t = (f: string): bigint => BigInt(project!.read(f).trim());
    expect(t('start1') < t('end2') && t('start2') < t('end1')).toBe(true);
  });

  it('stops descendants of a failing stage and reports its exit code and last lines', () => {
    project = TempProject.init({
      'pipelines/p.yaml': `stages:
  bad:
    cmd: echo first line; echo oops >&2; exit 3
    outs: [bad.txt]
  after:
    cmd: cp bad.txt after.txt
    deps: [bad.txt]
    outs: [after.txt]
  other:
    cmd: echo ok > other.txt
    outs: [other.txt]
`,
    });
    const r = project.dvcts('repro', '--keep-going', '--jobs', '1');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Stage 'bad' failed: command exited with code 3");
    expect(r.stderr).toContain('  | oops');
    expect(r.stderr).toContain("Stage 'after' not run: upstream stage 'bad' failed");
    expect(project.read('other.txt')).toBe('ok\n');
    expect(project.read('pipelines/p.lock')).not.toContain('bad:');
  });

  it('fails clearly when a dep is missing and when an out was not created', () => {
    project = TempProject.init({
      'pipelines/p.yaml': `stages:
  needs:
    cmd: cat nothere.txt > x.txt
    deps: [nothere.txt]
    outs: [x.txt]
  lazy:
    cmd: "true"
    outs: [never.txt]
`,
    });
    // A dep that no stage produces is found before anything runs (exit 2, at its line) ...
    const r = project.dvcts('repro', '--keep-going');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('pipelines/p.yaml:4:12: error[E_DEP_MISSING]: dependency "nothere.txt" of stage "needs" does not exist, and no stage produces it');
    // ... an output the command did not create only when it has run.
    const lazy = project.dvcts('repro', 'lazy');
    expect(lazy.code).toBe(1);
    expect(lazy.stderr).toContain('did not create its output "never.txt" [E_OUT_NOT_CREATED]');
  });
});

describe('repro -q', () => {
  const STAGES = `stages:
  chatty:
    cmd: echo "chatty says hello"; echo result > chatty.txt
    outs: [chatty.txt]
  broken:
    cmd: echo "the last words"; exit 7
    deps: [chatty.txt]
    outs: [broken.txt]
`;

  it('prints nothing when all goes well, and only the failure (exit code, last lines) and the summary when not', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': STAGES.split('  broken:')[0]! }));
    const ok = p.dvcts('repro', '-q').expectOk();
    expect([ok.stdout, ok.stderr]).toEqual(['', '']);
    expect(p.read('chatty.txt')).toBe('result\n');

    p.write({ 'pipelines/p.yaml': STAGES });
    const failed = p.dvcts('repro', '-q');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toBe(''); // neither stage's log
    expect(failed.stderr).toContain("Stage 'broken' failed");
    expect(failed.stderr).toContain('[E_STAGE_FAILED]');
    expect(failed.stderr).toContain('exited with code 7');
    expect(failed.stderr).toContain('| the last words');
    expect(failed.stderr).not.toMatch(/is up to date|Running stage/);
    expect(failed.stderr.trimEnd().split('\n').at(-1)).toBe('Stages: 1 up to date, 1 failed (broken)');
  });
});
