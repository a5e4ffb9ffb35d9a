import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

// `runs.log` is a side effect outside the outputs: it counts real executions.
const PIPELINE = `stages:
  model:
    cmd: echo run >> runs.log; echo "lr=\${lr}" > model.txt
    outs: [model.txt]
  clock:
    cmd: echo run >> clock.log; date +%s%N > now.txt
    always_changed: true
    outs: [now.txt]
`;

function runs(p: TempProject, log: string): number {
  return p.read(log).split('\n').filter(Boolean).length;
}

describe('run-cache', () => {
  it('restores outputs instead of running when a param is reverted', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'lr: 1\n' }));
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 2\n' });
    p.dvcts('repro').expectOk();
    expect(p.read('model.txt')).toBe('lr=2\n');
    p.write({ 'params.yaml': 'lr: 1\n' });
    const r = p.dvcts('repro', 'model').expectOk();
    expect(r.stderr).toContain("Stage 'model' restored from the run-cache");
    expect(p.read('model.txt')).toBe('lr=1\n');
    expect(runs(p, 'runs.log')).toBe(2);
    expect(p.dvcts('status', 'model').stdout).toBe('Data and pipelines are up to date.\n');
  });

  it('--no-run-cache runs the stage; always_changed stages are never restored', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'lr: 1\n' }));
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 2\n' });
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 1\n' });
    expect(p.dvcts('repro', '--no-run-cache').expectOk().ran).toEqual(['clock', 'model']);
    expect(runs(p, 'runs.log')).toBe(3);
    expect(runs(p, 'clock.log')).toBe(3); // every repro ran it
  });
});

describe('run-cache records', () => {
  it('a corrupt record fails the stage with E_RUN_CACHE_INVALID naming the file, instead of being ignored', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'lr: 1\n' }));
    p.dvcts('repro', 'model').expectOk();
    p.write({ 'params.yaml': 'lr: 2\n' });
    p.dvcts('repro', 'model').expectOk();
    const records = p.sh('find .dvcts/cache/runs -type f').trim().split('\n');
    expect(records).toHaveLength(2); // one per lr value
    for (const record of records) p.write({ [record]: '{"outs": "not a list"}\n' });
    p.write({ 'params.yaml': 'lr: 1\n' });
    const run = p.dvcts('repro', 'model');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Stage 'model' failed: run-cache record \S+\.dvcts\/cache\/runs\/\S+ is not a valid record \[E_RUN_CACHE_INVALID\]/);
    expect(run.stderr).toContain('hint: delete ');
    expect(p.dvcts('repro', 'model', '--no-run-cache').expectOk().ran).toEqual(['model']);
  });
});

describe('lock entries of built-in stages', () => {
  it('refuse a stage that names a built-in without being bound to one, instead of recording version "?"', async () => {
    const { definitionOf } = await import('../../src/lockfile/observe.js');
    const stage = { id: 'p.yaml:s', name: 's', uses: 'nowhere', with: {} } as unknown as Parameters<typeof definitionOf>[0];
    expect(() => definitionOf(stage)).toThrow(expect.objectContaining({ code: 'E_INTERNAL' }));
  });
});
