import { existsSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TempProject, waitFor } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const CHAIN = `stages:
  one:
    cmd: cp in.txt one.txt
    deps: [in.txt]
    outs: [one.txt]
  two:
    cmd: cp one.txt two.txt
    deps: [one.txt]
    outs: [two.txt]
  three:
    cmd: cp two.txt three.txt
    deps: [two.txt]
    outs: [three.txt]
`;

const FROZEN_CHAIN = CHAIN.replace('    cmd: cp one.txt two.txt\n', '    cmd: cp one.txt two.txt\n    frozen: true\n');

function chain(yaml = CHAIN): TempProject {
  project = TempProject.init({ 'pipelines/c.yaml': yaml, 'in.txt': 'v1\n' });
  return project;
}

describe('DVC semantics', () => {
  it('a target runs with what it needs; -s runs it alone; --downstream runs what depends on it', () => {
    const p = chain();
    expect(p.dvcts('repro', 'two').expectOk().ran).toEqual(['one', 'two']);
    expect(p.dvcts('repro').expectOk().ran).toEqual(['three']);
    p.write({ 'in.txt': 'v2\n' });
    expect(p.dvcts('repro', '-s', 'three').expectOk().ran).toEqual([]); // two.txt unchanged so far
    expect(p.dvcts('repro', '--downstream', 'two').expectOk().ran).toEqual([]); // stale `one` is not included
    expect(p.dvcts('repro', 'c.yaml').code).toBe(2); // unknown target
    expect(p.dvcts('repro', '--downstream', 'one').expectOk().ran).toEqual(['one', 'three', 'two']);
    expect(p.read('three.txt')).toBe('v2\n');
    expect(p.dvcts('repro', 'pipelines/c.yaml').expectOk().ran).toEqual([]);
  });

  it('-f reruns every selected stage', () => {
    const p = chain();
    p.dvcts('repro').expectOk();
    expect(p.dvcts('repro', '-f', 'two').expectOk().ran).toEqual(['one', 'two']);
    expect(p.dvcts('repro', '-f', '-s', 'two').expectOk().ran).toEqual(['two']);
  });

  // DVC: Stage.run only verifies the outputs of a frozen stage, even with -f (issue 16)
  it('a frozen stage is never run: a deleted output is restored from the cache instead', () => {
    const p = chain();
    p.dvcts('repro').expectOk();
    p.write({ 'pipelines/c.yaml': FROZEN_CHAIN, 'in.txt': 'v2\n' });
    expect(p.dvcts('repro', 'three').expectOk().ran).toEqual([]); // a frozen stage cuts its upstream out
    const skipped = p.dvcts('repro').expectOk();
    expect(skipped.ran).toEqual(['one']);
    expect(skipped.stderr).toContain("Stage 'two' is frozen, skipping");
    rmSync(p.path('two.txt'));
    const r = p.dvcts('repro').expectOk();
    expect(r.ran).toEqual([]);
    expect(r.stderr).toContain("Stage 'two' is frozen: restored two.txt from the cache");
    expect(p.read('two.txt')).toBe('v1\n'); // what two recorded, not a rerun against one.txt = v2
    expect(p.read('three.txt')).toBe('v1\n');
    // -f does not run it either (DVC: `run` of a frozen stage never calls its command)
    expect(p.dvcts('repro', '-f', '-s', 'two').expectOk().ran).toEqual([]);
    expect(p.read('two.txt')).toBe('v1\n');
  });

  it('a frozen stage fails with "missing data" when the frozen output is in neither the workspace nor the cache', () => {
    const p = chain();
    p.dvcts('repro').expectOk();
    p.write({ 'pipelines/c.yaml': FROZEN_CHAIN });
    rmSync(p.path('two.txt'));
    rmSync(p.path('.dvcts/cache/objects'), { recursive: true, force: true });
    const r = p.dvcts('repro');
    expect(r.code).toBe(1);
    expect(r.ran).toEqual([]);
    expect(r.stderr).toMatch(/Stage 'two' failed: .*missing data.*two\.txt.* \[E_MISSING_DATA\]/);
    expect(existsSync(p.path('two.txt'))).toBe(false);
  });

  it('a frozen stage that never ran records outputs that exist and never creates missing ones', () => {
    const p = chain(FROZEN_CHAIN);
    p.write({ 'two.txt': 'by hand\n' });
    const r = p.dvcts('repro').expectOk();
    expect(r.ran).toEqual(['one', 'three']);
    expect(p.read('three.txt')).toBe('by hand\n');
    expect(parse(p.read('pipelines/c.lock')).stages.two.outs[0].path).toBe('two.txt');
    rmSync(p.path('pipelines/c.lock'));
    rmSync(p.path('two.txt'));
    const failed = p.dvcts('repro', 'two');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('[E_MISSING_DATA]');
  });
  it('always_changed stages always run; a stage without deps and outs too', () => {
    project = TempProject.init({
      'pipelines/p.yaml': `stages:
  clock:
    cmd: date +%s%N > now.txt
    outs: [now.txt]
    always_changed: true
  hello:
    cmd: echo hi
`,
    });
    project.dvcts('repro').expectOk();
    expect(project.dvcts('repro').expectOk().ran).toEqual(['clock', 'hello']);
  });

  it('persist keeps outputs between runs; other outputs are removed before the stage runs', () => {
    project = TempProject.init({
      'pipelines/p.yaml': `stages:
  log:
    cmd: cat in.txt >> log.txt; test ! -e fresh.txt && cp in.txt fresh.txt
    deps: [in.txt]
    outs:
      - log.txt: { persist: true }
      - fresh.txt
`,
      'in.txt': 'a\n',
    });
    project.dvcts('repro').expectOk();
    project.write({ 'in.txt': 'b\n' });
    project.dvcts('repro').expectOk();
    expect(project.read('log.txt')).toBe('a\nb\n');
    expect(project.read('fresh.txt')).toBe('b\n');
  });

  it('wdir: command, deps and outs are relative to it', () => {
    project = TempProject.init({
      'pipelines/p.yaml': `stages:
  inner:
    wdir: sub
    cmd: cp data.txt copy.txt
    deps: [data.txt]
    outs: [copy.txt]
`,
      'sub/data.txt': 'x\n',
    });
    project.dvcts('repro').expectOk();
    expect(project.read('sub/copy.txt')).toBe('x\n');
    expect(project.read('pipelines/p.lock')).toContain('path: sub/copy.txt');
  });

  it('runs the stages of an unchanged dvc.yaml by DVC’s path rule', () => {
    project = TempProject.init({
      'proj/dvc.yaml': `stages:
  prepare:
    foreach: [a, b]
    do:
      cmd: echo \${item} > out_\${item}.txt
      outs:
        - out_\${item}.txt
  join:
    cmd: cat out_a.txt out_b.txt > all.txt
    deps: [out_a.txt, out_b.txt]
    outs: [all.txt]
`,
    });
    project.dvcts('repro', 'proj/dvc.yaml').expectOk();
    expect(project.read('proj/all.txt')).toBe('a\nb\n');
    expect(existsSync(project.path('proj/dvc.dvcts.lock'))).toBe(true);
    expect(project.dvcts('repro', 'proj/dvc.yaml:prepare@b').expectOk().ran).toEqual([]);
  });

  it('status says exactly why, and --json is machine readable', () => {
    const p = chain();
    expect(p.dvcts('status').stdout).toContain('never run');
    p.dvcts('repro').expectOk();
    expect(p.dvcts('status').stdout).toBe('Data and pipelines are up to date.\n');
    p.write({ 'in.txt': 'v2\n' });
    p.sh('rm three.txt');
    const json = JSON.parse(p.dvcts('status', '--json').stdout) as { stages: { name: string; state: string; reasons: { kind: string; path?: string }[]; staleUpstream: string[] }[] };
    const byName = new Map(json.stages.map((s) => [s.name, s]));
    expect(byName.get('one')!.reasons).toEqual([{ kind: 'dep-modified', path: 'in.txt' }]);
    expect(byName.get('two')!.state).toBe('up-to-date');
    expect(byName.get('two')!.staleUpstream).toEqual(['pipelines/c.yaml:one']);
    expect(byName.get('three')!.reasons).toEqual([{ kind: 'out-missing', path: 'three.txt' }]);
  });

  it('dag prints ascii, mermaid and dot', () => {
    const p = chain();
    expect(p.dvcts('dag').expectOk().stdout).toBe('* one\n* two    <- one\n* three  <- two\n');
    expect(p.dvcts('dag', '--mermaid').stdout).toContain('n0 --> n1');
    expect(p.dvcts('dag', '--dot', '--outs').stdout).toContain('"one.txt" -> "two.txt";');
  });
});

describe('project lock', () => {
  it('a second repro waits for the first, and neither loses work', async () => {
    // The stage holds the lock until the test creates `go`: no sleeps to guess at on a busy machine.
    project = TempProject.init({
      'pipelines/p.yaml': `stages:
  slow:
    cmd: while [ ! -e go ]; do sleep 0.05; done; echo done > slow.txt
    outs: [slow.txt]
`,
    });
    const first = project.spawnDvcts('repro');
    await waitFor(() => existsSync(project!.path('.dvcts/tmp/repo.lock')), 'the first repro to take the lock');
    const refused = project.dvcts('repro', '--no-wait');
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('E_LOCKED');
    const second = project.spawnDvcts('repro');
    await waitFor(() => second.stderrSoFar().includes('Waiting for the project lock'), 'the second repro to wait');
    project.write({ go: '' });
    const [a, b] = await Promise.all([first, second]);
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    expect(b.stderr).toContain('Waiting for the project lock');
    expect(b.stderr).toContain("Stage 'slow' is up to date");
    expect(project.read('slow.txt')).toBe('done\n');
  });

  it('a lock left by a killed process is taken over', () => {
    project = TempProject.init({ 'pipelines/p.yaml': 'stages:\n  s:\n    cmd: echo > s.txt\n    outs: [s.txt]\n' });
    project.write({ '.dvcts/tmp/repo.lock': JSON.stringify({ pid: 999999, host: hostname(), command: 'repro', since: 'x' }) });
    project.dvcts('repro', '--no-wait').expectOk();
  });
});

describe('status of data tracked with add', () => {
  it('reports modified and missing tracked data', () => {
    project = TempProject.init({ 'data/a.txt': 'a\n', 'data/b.txt': 'b\n', 'single.txt': 's\n' });
    project.dvcts('add', 'data', 'single.txt').expectOk();
    expect(project.dvcts('status').stdout).toBe('Data and pipelines are up to date.\n');
    project.write({ 'data/a.txt': 'changed\n' });
    project.sh('rm single.txt');
    const out = project.dvcts('status').stdout;
    expect(out).toContain('data.dvcts:\n  modified: data\n');
    expect(out).toContain('single.txt.dvcts:\n  missing: single.txt\n');
  });
});

describe('command line usage errors', () => {
  it('exit with code 2 and no stack trace', () => {
    project = TempProject.init();
    for (const args of [['frobnicate'], ['repro', '--jobs', '0'], ['repro', '--no-such-flag']]) {
      const r = project.dvcts(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toContain('    at ');
    }
  });

  it('outside a project, commands say how to start one', () => {
    const p = (project = new TempProject());
    const r = p.dvcts('status');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error[E_NOT_A_PROJECT]');
    expect(r.stderr).toContain('dvcts init');
  });
});
