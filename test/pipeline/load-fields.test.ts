import { describe, expect, it } from 'vitest';
import { load } from './helpers.js';

const FULL = `# yaml-language-server: $schema=../schema/pipeline.schema.json
vars:
  - params.yaml
  - extra.yaml:some_key
  - { model: small }
stages:
  decode:
    uses: copy
    deps: [datasets/raw/poems.gbk.csv]
    outs: [datasets/work/poems.csv]
    with: { mode: fast }
  train:
    cmd: python3 train.py --lr \${train.lr}
    wdir: sub
    deps: [train.py, data/]
    outs:
      - model.bin
      - cache_dir: { cache: false, persist: true, desc: "scratch" }
    params: [train.lr, { custom.yaml: [a.b] }, other.yaml:]
    metrics: [metrics.json, { m2.json: { cache: false } }]
    plots: [curves.csv, { roc.csv: { x: fpr, y: tpr, template: linear, title: ROC, x_label: false positives, y_label: true positives } }]
    desc: trains the \${model} model
    meta: { owner: ana, note: "\${not.interpolated}", tags: [a, 1] }
    frozen: true
    always_changed: true
  many:
    cmd: [echo one, echo two]
`;

describe('loadProject: stage fields', () => {
  it('parses every field form into the typed model', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/main.yaml': FULL,
      'params.yaml': 'train:\n  lr: 0.01\n',
      'extra.yaml': 'some_key: { x: 1 }\nother: 2\n',
      // declared params must exist (E_PARAM_MISSING otherwise)
      'sub/params.yaml': 'train:\n  lr: 0.02\n',
      'sub/custom.yaml': 'a: { b: 1 }\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.files).toEqual(['pipelines/main.yaml']);
    expect(spec.stages.map((s) => s.id)).toEqual(['pipelines/main.yaml:decode', 'pipelines/main.yaml:train', 'pipelines/main.yaml:many']);
    const [decode, train, many] = spec.stages;
    expect(decode).toMatchObject({
      name: 'decode',
      file: 'pipelines/main.yaml',
      lockFile: 'pipelines/main.lock',
      wdir: '',
      uses: 'copy',
      with: { mode: 'fast', level: 1, columns: [] },
      deps: [{ path: 'datasets/raw/poems.gbk.csv' }],
      outs: [{ path: 'datasets/work/poems.csv', kind: 'out', cache: true, persist: false }],
      frozen: false,
      alwaysChanged: false,
    });
    expect(decode?.cmd).toBeUndefined();
    expect(train).toMatchObject({
      wdir: 'sub',
      cmd: ['python3 train.py --lr 0.01'],
      deps: [{ path: 'sub/train.py' }, { path: 'sub/data' }],
      desc: 'trains the small model',
      frozen: true,
      alwaysChanged: true,
    });
    expect(train?.outs.map((o) => [o.path, o.kind, o.cache, o.persist, o.desc])).toEqual([
      ['sub/model.bin', 'out', true, false, undefined],
      ['sub/cache_dir', 'out', false, true, 'scratch'],
      ['sub/metrics.json', 'metric', true, false, undefined],
      ['sub/m2.json', 'metric', false, false, undefined],
      ['sub/curves.csv', 'plot', true, false, undefined],
      ['sub/roc.csv', 'plot', true, false, undefined],
    ]);
    expect(train?.outs.find((o) => o.path === 'sub/roc.csv')?.plot).toEqual({ x: 'fpr', y: 'tpr', template: 'linear', title: 'ROC', x_label: 'false positives', y_label: 'true positives' });
    expect(train?.outs.find((o) => o.path === 'sub/curves.csv')?.plot).toBeUndefined();
    expect(train?.meta).toEqual({ owner: 'ana', note: '${not.interpolated}', tags: ['a', 1] });
    expect(decode?.meta).toBeUndefined();
    // Declared params (bare keys: params.yaml in wdir, DVC's rule), then the interpolated one.
    expect(train?.params.map((p) => [p.file, p.key])).toEqual([
      ['sub/params.yaml', 'train.lr'],
      ['sub/custom.yaml', 'a.b'],
      ['sub/other.yaml', undefined],
      ['params.yaml', 'train.lr'],
    ]);
    expect(many?.cmd).toEqual(['echo one', 'echo two']);
  });

  it('keeps the source range of stage names and paths', async () => {
    const { spec } = await load({ 'pipelines/a.yaml': 'stages:\n  s:\n    cmd: x\n    deps: [ in.txt ]\n' });
    const stage = spec.stages[0];
    expect(stage?.range).toEqual({ file: 'pipelines/a.yaml', line: 2, col: 3, endLine: 2, endCol: 4 });
    expect(stage?.deps[0]?.range).toEqual({ file: 'pipelines/a.yaml', line: 4, col: 13, endLine: 4, endCol: 19 });
  });

  it('normalises paths: ./, trailing /, and .. that stays inside', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: x\n    wdir: ./w/\n    deps: [./a/, b/../c, ../top.txt]\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.wdir).toBe('w');
    expect(spec.stages[0]?.deps.map((d) => d.path)).toEqual(['w/a', 'w/c', 'top.txt']);
  });

  it('reads a dvc.yaml relative to its own folder and writes its lock beside it', async () => {
    const { spec, diagnostics } = await load(
      {
        'sub/dvc.yaml': 'stages:\n  s:\n    cmd: cat ${deps}\n    wdir: inner\n    deps: [x.txt]\n    params: [lr]\n    outs: [../y.txt]\n',
        'sub/inner/params.yaml': 'lr: 3\n', // a declared param is read from params.yaml in the wdir
      },
      { files: ['sub/dvc.yaml'] },
    );
    expect(diagnostics).toEqual([]);
    const stage = spec.stages[0];
    expect(stage).toMatchObject({ id: 'sub/dvc.yaml:s', lockFile: 'sub/dvc.dvcts.lock', wdir: 'sub/inner', cmd: ['cat x.txt'] });
    expect(stage?.deps.map((d) => d.path)).toEqual(['sub/inner/x.txt']);
    expect(stage?.outs.map((o) => o.path)).toEqual(['sub/y.txt']);
    expect(stage?.params).toEqual([expect.objectContaining({ file: 'sub/inner/params.yaml', key: 'lr' })]);
  });

  it('discovers pipelines/*.yaml and *.yml sorted, then a root dvc.yaml', async () => {
    const { spec } = await load({
      'pipelines/b.yml': 'stages: {}\n',
      'pipelines/a.yaml': 'stages: {}\n',
      'pipelines/notes.txt': 'not a pipeline',
      'dvc.yaml': 'stages:\n  d:\n    cmd: x\n',
    });
    expect(spec.files).toEqual(['pipelines/a.yaml', 'pipelines/b.yml', 'dvc.yaml']);
    expect(spec.stages[0]).toMatchObject({ id: 'dvc.yaml:d', lockFile: 'dvc.dvcts.lock' });
  });

  it('returns the text of every file read, for rendering diagnostics', async () => {
    const { sources } = await load({
      'pipelines/a.yaml': 'vars: [v.yaml]\nstages: {}\n',
      'params.yaml': 'a: 1\n',
      'v.yaml': 'b: 2\n',
    });
    expect([...sources.keys()].sort()).toEqual(['params.yaml', 'pipelines/a.yaml', 'v.yaml']);
    expect(sources.get('v.yaml')).toBe('b: 2\n');
  });

  it('supports YAML anchors and merge keys', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': 'base: &base\n  cmd: x\n  deps: [a]\nstages:\n  one: *base\n  two:\n    <<: *base\n    deps: [b]\n',
    });
    // `base` is not a pipeline key: reported, but the stages still load.
    expect(diagnostics.map((d) => d.code)).toEqual(['E_UNKNOWN_KEY']);
    expect(spec.stages.map((s) => [s.name, s.cmd, s.deps.map((d) => d.path)])).toEqual([
      ['one', ['x'], ['a']],
      ['two', ['x'], ['b']],
    ]);
  });

  it('applies a stage-level vars block (DVC) on top of the file vars', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': 'vars: [{ who: file }]\nstages:\n  s:\n    vars: [{ what: stage }]\n    cmd: echo ${who} ${what}\n  t:\n    cmd: echo ${who}\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages.map((s) => s.cmd)).toEqual([['echo file stage'], ['echo file']]);
  });

  it('makes every path project-relative and normalised, however it was spelt', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': [
        'stages:',
        '  root:',
        '    cmd: cat ${deps} > ${outs}',
        '    deps: [./a.csv, data/./b.csv, data/x/../c.csv, data/d/, data//f.csv]',
        '    outs: [out/e.csv]',
        '  sub:',
        '    wdir: sub',
        '    cmd: cat ${deps} > ${outs}',
        '    deps: [../a.csv, ./g.csv]',
        '    outs: [h.csv]',
        '',
      ].join('\n'),
    });
    expect(diagnostics).toEqual([]);
    // Worked by hand: "." parts and "//" dropped, ".." applied, no trailing "/"; ${deps} in a wdir is relative to it.
    expect(spec.stages.map((s) => [s.deps.map((d) => d.path), s.outs.map((o) => o.path), s.cmd])).toEqual([
      [['a.csv', 'data/b.csv', 'data/c.csv', 'data/d', 'data/f.csv'], ['out/e.csv'], ['cat a.csv data/b.csv data/c.csv data/d data/f.csv > out/e.csv']],
      [['a.csv', 'sub/g.csv'], ['sub/h.csv'], ['cat ../a.csv g.csv > h.csv']],
    ]);
  });

  it('warns about DVC top-level keys it ignores', async () => {
    const { diagnostics, spec } = await load({ 'pipelines/a.yaml': 'metrics: [m.json]\nstages:\n  s:\n    cmd: x\n' });
    expect(diagnostics.map((d) => [d.code, d.severity])).toEqual([['W_IGNORED_KEY', 'warning']]);
    expect(spec.stages).toHaveLength(1);
  });
});
