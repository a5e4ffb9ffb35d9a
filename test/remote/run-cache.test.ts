import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cleanUpAfterEach, remoteObjects, RemoteProject, tempRemoteDir } from './project.js';

const track = cleanUpAfterEach();

// `runs.log` is a side effect outside the outputs: it counts real executions in this clone.
const PIPELINE = `stages:
  train:
    cmd: echo run >> runs.log; echo "model for n=\${n}" > model.txt
    deps: [input.txt]
    params: [n]
    outs: [model.txt]
`;

/** A project that ran `train` with n=1 and n=2 (committed at n=2) and pushed data and run-cache. */
function trainedProject(remote: string): RemoteProject {
  const p = track(RemoteProject.create());
  p.write({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'n: 1\n', 'input.txt': 'input\n', '.gitignore': 'runs.log\n' });
  p.dvcts('add', 'input.txt').expectOk();
  p.dvcts('remote', 'add', '-d', 'store', remote).expectOk();
  p.dvcts('repro').expectOk();
  p.write({ 'params.yaml': 'n: 2\n' });
  p.dvcts('repro').expectOk();
  p.commit('n=2');
  const pushed = p.dvcts('push', '--run-cache').expectOk();
  expect(pushed.stdout).toContain('Run-cache: pushed 2 record(s), 0 already there');
  return p;
}

describe('run-cache through a remote', () => {
  it('a fresh clone with `pull --run-cache` restores a version its lock file does not record instead of running it', () => {
    const remote = track(tempRemoteDir());
    const p = trainedProject(remote.path);
    // input.txt, and model.txt for n=1 and n=2.
    expect(remoteObjects(remote.path)).toHaveLength(3);
    const c = track(p.clone());
    expect(c.dvcts('pull', '--run-cache').expectOk().stdout).toContain('Run-cache: fetched 2 record(s)');
    c.write({ 'params.yaml': 'n: 1\n' });
    const r = c.dvcts('repro').expectOk();
    expect(r.stderr).toContain("Stage 'train' restored from the run-cache");
    expect(c.read('model.txt')).toBe('model for n=1\n');
    expect(existsSync(c.path('runs.log'))).toBe(false);
  });

  it('repro --pull in a fresh clone checks out recorded data and restores other fingerprints from the remote run-cache', () => {
    const remote = track(tempRemoteDir());
    const p = trainedProject(remote.path);
    const c = track(p.clone());
    // As committed (n=2): the lock records model.txt; --pull checks it out and the stage is up to date.
    const upToDate = c.dvcts('repro', '--pull').expectOk();
    expect(upToDate.stderr).toMatch(/Pulled 2 object\(s\).*checked out 2 missing path\(s\): input\.txt, model\.txt/);
    expect(upToDate.stderr).toContain("Stage 'train' is up to date");
    expect(c.read('model.txt')).toBe('model for n=2\n');
    // n=1 is in no lock file of this clone: only the remote's run-cache knows its result.
    c.write({ 'params.yaml': 'n: 1\n' });
    const restored = c.dvcts('repro', '--pull').expectOk();
    expect(restored.stderr).toContain("Stage 'train' restored from the run-cache");
    expect(c.read('model.txt')).toBe('model for n=1\n');
    // n=3 was never run anywhere: it runs.
    c.write({ 'params.yaml': 'n: 3\n' });
    expect(c.dvcts('repro', '--pull').expectOk().ran).toEqual(['train']);
    expect(c.read('runs.log')).toBe('run\n');
  });
});
