import { readFileSync, rmSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TempProject } from '../helpers/project.js';

// Behaviours found to differ from DVC 3.64 when both tools ran the same scenarios (issue 16).
// The expected values come from DVC's documented behaviour and its source, cited per test.
// Frozen stages: test/engine/semantics.test.ts; interpolation: test/pipeline/dvc-interpolation.test.ts.

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

describe('data tracked with add and changed without re-adding (DVC verifies the data source and rewrites its .dvc file)', () => {
  const PIPELINE = 'stages:\n  use:\n    cmd: cp data.txt out.txt\n    deps: [data.txt]\n    outs: [out.txt]\n';

  it('updates the pointer file and caches the new data before the stage runs, and says so', () => {
    const p = (project = TempProject.init({ 'data.txt': 'old\n', 'pipelines/p.yaml': PIPELINE }));
    p.dvcts('add', 'data.txt').expectOk();
    p.dvcts('repro').expectOk();
    p.write({ 'data.txt': 'new\n' });
    const r = p.dvcts('repro').expectOk();
    expect(r.ran).toEqual(['use']);
    expect(r.stderr).toContain('data.txt changed since `dvcts add`: updated data.txt.dvcts');
    const pointerId = parse(p.read('data.txt.dvcts')).outs[0].id;
    const lockId = parse(p.read('pipelines/p.lock')).stages.use.deps[0].id;
    expect(pointerId).toBe(lockId);
    // the new version is in the cache: a checkout after deleting it brings back "new", not "old"
    rmSync(p.path('data.txt'));
    p.dvcts('checkout').expectOk();
    expect(p.read('data.txt')).toBe('new\n');
    expect(p.dvcts('status').expectOk().stdout).toBe('Data and pipelines are up to date.\n');
  });

  it('--dry says it would update the pointer and writes nothing', () => {
    const p = (project = TempProject.init({ 'data.txt': 'old\n', 'pipelines/p.yaml': PIPELINE }));
    p.dvcts('add', 'data.txt').expectOk();
    const before = p.read('data.txt.dvcts');
    p.write({ 'data.txt': 'new\n' });
    const r = p.dvcts('repro', '--dry').expectOk();
    expect(r.stdout).toContain('would update data.txt.dvcts'); // the plan is a dry run's result
    expect(p.read('data.txt.dvcts')).toBe(before);
  });
});

describe('run-cache with cache: false metrics and plots (DVC: no_cache_outs skips metrics and plots)', () => {
  const PIPELINE = `stages:
  train:
    cmd: sh train.sh \${lr}
    deps: [train.sh]
    outs: [model.txt]
    metrics: [{ m.json: { cache: false } }]
    plots: [{ curve.csv: { cache: false } }]
`;
  // runs.log lies outside the outputs: it counts real executions
  const TRAIN = 'echo run >> runs.log; echo "lr=$1" > model.txt; echo "{\\"lr\\": $1}" > m.json; echo "x,y" > curve.csv\n';

  it('restores a training stage whose metrics and plots are not cached', () => {
    const p = (project = TempProject.init({ 'pipelines/p.yaml': PIPELINE, 'params.yaml': 'lr: 1\n', 'train.sh': TRAIN }));
    p.write({ '.dvcts/config.yaml': 'cache:\n  type: [hardlink, copy]\n' }); // cached outputs become links into the cache
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 2\n' });
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 1\n' });
    const r = p.dvcts('repro').expectOk();
    expect(r.stderr).toContain("Stage 'train' restored from the run-cache");
    expect(readFileSync(p.path('runs.log'), 'utf8')).toBe('run\nrun\n');
    expect(p.read('m.json')).toBe('{"lr": 1}\n');
    expect(p.read('model.txt')).toBe('lr=1\n');
    // a cache: false output comes back as the user's own file, never a link into the cache
    expect(statSync(p.path('model.txt')).nlink).toBe(2);
    expect(statSync(p.path('m.json')).nlink).toBe(1);
    expect(statSync(p.path('m.json')).mode & 0o200).not.toBe(0);
  });

  it('still runs a stage with a cache: false plain output', () => {
    const p = (project = TempProject.init({
      'pipelines/p.yaml': PIPELINE.replace('outs: [model.txt]', 'outs: [{ model.txt: { cache: false } }]'),
      'params.yaml': 'lr: 1\n',
      'train.sh': TRAIN,
    }));
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 2\n' });
    p.dvcts('repro').expectOk();
    p.write({ 'params.yaml': 'lr: 1\n' });
    expect(p.dvcts('repro').expectOk().ran).toEqual(['train']);
  });
});

describe('dict unpacking end to end (DVC: to_str(dict), config parsing.bool / parsing.list)', () => {
  const ARGV = "import { writeFileSync } from 'node:fs';\nwriteFileSync('argv.json', JSON.stringify(process.argv.slice(2)));\n";
  const PARAMS = 'opts:\n  lr: 1.0\n  layers: [8, 4]\n  fast: true\n  slow: false\n  name: a b\n  sub: { x: 1 }\n';

  it('passes each key and value as its own argument, reruns when a key changes, and follows the config', () => {
    const p = (project = TempProject.init({
      'argv.mjs': ARGV,
      'params.yaml': PARAMS,
      'pipelines/p.yaml': 'stages:\n  s:\n    cmd: node argv.mjs ${opts}\n    deps: [argv.mjs]\n    outs: [argv.json]\n',
    }));
    p.dvcts('repro').expectOk();
    const argv = (): unknown => JSON.parse(p.read('argv.json'));
    expect(argv()).toEqual(['--lr', '1.0', '--layers', '8', '4', '--fast', '--name', 'a b', '--sub.x', '1']);
    p.write({ 'params.yaml': PARAMS.replace('x: 1', 'x: 2') });
    const r = p.dvcts('repro').expectOk();
    expect(r.stderr).toContain('param changed: params.yaml:opts.sub.x 1 -> 2');
    p.write({ '.dvcts/config.yaml': `${p.read('.dvcts/config.yaml')}parsing:\n  bool: boolean_optional\n  list: append\n` });
    p.dvcts('repro').expectOk();
    expect(argv()).toEqual(['--lr', '1.0', '--layers', '8', '--layers', '4', '--fast', '--no-slow', '--name', 'a b', '--sub.x', '2']);
    p.write({ '.dvcts/config.yaml': 'parsing: { bool: yes }\n' });
    const bad = p.dvcts('repro');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('parsing.bool must be store_true or boolean_optional');
  });
});
