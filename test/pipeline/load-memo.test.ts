import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

// The loaded-project memo (src/pipeline/load-memo.ts) answers a load from `.dvcts/tmp` when
// nothing the load read has changed. Each case changes one input the stage's command depends on
// and checks, by running it, that the command seen is the new one: a stale memo would run the old.
const MEMO = '.dvcts/tmp/loaded-project.json';
const PIPELINE = 'stages:\n  hello:\n    cmd: echo ${greeting} > out.txt\n    outs: [out.txt]\n';

describe('the loaded-project memo', () => {
  let p: TempProject;
  afterEach(() => p.cleanup());

  function reproOut(): string {
    p.dvcts('repro').expectOk();
    return p.read('out.txt').trim();
  }

  it('is written after a load and used while every input is unchanged', () => {
    p = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'greeting: hello\n' });
    expect(reproOut()).toBe('hello');
    expect(existsSync(p.path(MEMO))).toBe(true);
    // The memo, not a new load, answers now: a stage written only into the memo is listed.
    // Its first line is the key, its second the stages.
    const [key, value] = readFileSync(p.path(MEMO), 'utf8').split('\n');
    const memo = JSON.parse(value!) as { stages: { name: string; id: string; outs: unknown[] }[] };
    memo.stages.push({ ...memo.stages[0]!, name: 'planted', id: 'pipelines/p.yaml:planted', outs: [] });
    writeFileSync(p.path(MEMO), `${key}\n${JSON.stringify(memo)}`);
    expect(p.dvcts('status').expectOk().stdout).toContain('planted');
  });

  it('a changed params file gives the new command', () => {
    p = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'greeting: hello\n' });
    expect(reproOut()).toBe('hello');
    p.write({ 'params.yaml': 'greeting: bye\n' });
    expect(reproOut()).toBe('bye');
  });

  it('a file that was missing and now exists is read (default params.yaml next to inline vars)', () => {
    p = TempProject.init({ 'pipelines/p.yaml': `vars:\n  - greeting: hi\n${PIPELINE}` });
    expect(reproOut()).toBe('hi');
    p.write({ 'params.yaml': 'greeting: bye\n' });
    const r = p.dvcts('status');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('E_VARS_REDEFINED');
  });

  it('a changed pipeline file is loaded again', () => {
    p = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'greeting: hello\n' });
    expect(reproOut()).toBe('hello');
    p.write({ 'pipelines/p.yaml': PIPELINE.replace('${greeting}', '${greeting}-again') });
    expect(reproOut()).toBe('hello-again');
  });

  it('a damaged or missing memo means a load, never a failure', () => {
    p = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'greeting: hello\n' });
    expect(reproOut()).toBe('hello');
    writeFileSync(p.path(MEMO), '{"format": "dvcts-loaded-project 1", "stages": [');
    p.write({ 'params.yaml': 'greeting: bye\n' });
    expect(reproOut()).toBe('bye');
    // A whole key with damaged stages: the key matches, the stages cannot be read.
    const [key] = readFileSync(p.path(MEMO), 'utf8').split('\n');
    writeFileSync(p.path(MEMO), `${key}\n{"stages": [`);
    expect(p.dvcts('status').expectOk().stdout).toContain('up to date');
    rmSync(p.path(MEMO));
    expect(p.dvcts('status').expectOk().stdout).toContain('up to date');
  });
});
