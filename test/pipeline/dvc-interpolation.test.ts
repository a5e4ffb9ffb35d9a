import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { codes, load, where } from './helpers.js';

// Interpolation details where dvcts differed from DVC 3.64 (issue 16). The rules followed are
// DVC's dvc/parsing/interpolate.py (`to_str`, `validate_value`) and dvc/parsing/context.py (`_merge`).

const OPTS = `opts:
  lr: 0.5
  layers: [8, 4]
  fast: true
  slow: false
  name: a b
  sub: { x: 1 }
`;

describe('dict unpacking in cmd (DVC: to_str(dict))', () => {
  it('turns ${opts} into --key value arguments: true is a flag, false is left out, lists repeat, nested keys are dotted, strings shell-quoted', async () => {
    const { spec, diagnostics } = await load({ 'params.yaml': OPTS, 'pipelines/a.yaml': 'stages:\n  s:\n    cmd: echo ${opts}\n' });
    expect(diagnostics).toEqual([]);
    // the exact command DVC 3.64 produced for this params.yaml (issue 16)
    expect(spec.stages[0]?.cmd).toEqual(["echo --lr 0.5 --layers 8 4 --fast --name 'a b' --sub.x 1"]);
  });

  it('tracks every unpacked key as a param', async () => {
    const { spec } = await load({ 'params.yaml': OPTS, 'pipelines/a.yaml': 'stages:\n  s:\n    cmd:\n      - echo ${opts}\n' });
    expect(spec.stages[0]?.params.map((p) => `${p.file}:${p.key}`)).toEqual([
      'params.yaml:opts.lr',
      'params.yaml:opts.layers',
      'params.yaml:opts.fast',
      'params.yaml:opts.slow',
      'params.yaml:opts.name',
      'params.yaml:opts.sub.x',
    ]);
  });

  it('follows parsing.bool: boolean_optional and parsing.list: append', async () => {
    const { spec, diagnostics } = await load(
      { 'params.yaml': OPTS, 'pipelines/a.yaml': 'stages:\n  s:\n    cmd: echo ${opts}\n' },
      { parsing: { bool: 'boolean_optional', list: 'append' } },
    );
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.cmd).toEqual(["echo --lr 0.5 --layers 8 --layers 4 --fast --no-slow --name 'a b' --sub.x 1"]);
  });

  it('quotes like Python shlex.quote', async () => {
    const words = ['', 'plain-word_1.2/x:y@z%+=,', "it's", 'a b', '诗', '$HOME', 'x;y'];
    const params = `q:\n${words.map((w, i) => `  k${i}: ${JSON.stringify(w)}`).join('\n')}\n`;
    const { spec } = await load({ 'params.yaml': params, 'pipelines/a.yaml': 'stages:\n  s:\n    cmd: ${q}\n' });
    const python = spawnSync('python3', ['-c', 'import shlex,sys,json; print(" ".join(f"--k{i} {shlex.quote(w)}" for i, w in enumerate(json.load(sys.stdin))))'], {
      input: JSON.stringify(words),
      encoding: 'utf8',
    });
    expect(python.status).toBe(0);
    expect(spec.stages[0]?.cmd).toEqual([python.stdout.trimEnd()]);
  });

  it('refuses a list of lists and a mapping outside cmd, at the ${...}', async () => {
    const { diagnostics } = await load({
      'params.yaml': 'bad: { grid: [[1, 2]] }\nopts: { a: 1 }\n',
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: run ${bad}\n  t:\n    cmd: run\n    outs: ["out-${opts}.txt"]\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_INTERP_TYPE@3:14-3:20', 'E_INTERP_TYPE@6:17-6:24']);
  });
});

describe('numbers keep their YAML type (DVC: str() of the loaded value)', () => {
  const FLOATS = ['1.0', '1e3', '1e-7', '1e16', '1e15', '0.0001', '1e-5', '.5', '1.e2', '-0.0', '0.1', '2.5e-3', '1.5e300', '123456789.125', '1E+2'];

  it('prints floats as Python does and integers as integers', async () => {
    const params = `f:\n${FLOATS.map((t, i) => `  v${i}: ${t}`).join('\n')}\nint: 1000\nhex: 0x10\n`;
    const cmd = `echo ${FLOATS.map((_, i) => `\${f.v${i}}`).join(' ')} \${int} \${hex}`;
    const { spec, diagnostics } = await load({ 'params.yaml': params, 'pipelines/a.yaml': `stages:\n  s:\n    cmd: ${JSON.stringify(cmd)}\n` });
    expect(diagnostics).toEqual([]);
    // the oracle: Python's own str(float) of the same literals (what DVC prints)
    const python = spawnSync('python3', ['-c', 'import sys; print(" ".join(str(float(t)) for t in sys.argv[1:]))', ...FLOATS], { encoding: 'utf8' });
    expect(python.status).toBe(0);
    expect(spec.stages[0]?.cmd).toEqual([`echo ${python.stdout.trimEnd()} 1000 16`]);
    expect(python.stdout).toContain('1.0 1000.0 1e-07 1e+16 '); // the issue's worked example, by hand
  });

  it('keeps floats in foreach items, stage names, matrix names and dict unpacking', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': 'rates: [0.5, 1.0]\nopt: { lr: 1.0, eps: 1e-8 }\n',
      'pipelines/a.yaml': `stages:
  f:
    foreach: \${rates}
    do:
      cmd: run \${item}
  m:
    matrix: { lr: [2.0, 3] }
    cmd: run \${item.lr}
  d:
    cmd: run \${opt}
`,
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages.map((s) => `${s.name}: ${s.cmd?.join(';')}`)).toEqual([
      'f@0.5: run 0.5',
      'f@1.0: run 1.0',
      'm@2.0: run 2.0',
      'm@3: run 3',
      'd: run --lr 1.0 --eps 1e-08',
    ]);
  });
});

describe('a key defined twice (DVC: "cannot redefine ... as it already exists")', () => {
  it('refuses a vars file that redefines a params.yaml value, at the vars entry', async () => {
    const { diagnostics } = await load({
      'params.yaml': 'train:\n  lr: 1\n  bs: 8\n',
      'extra.yaml': 'train:\n  lr: 2\n  seed: 3\n',
      'pipelines/a.yaml': 'vars:\n  - extra.yaml\nstages:\n  s:\n    cmd: run ${train.lr}\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_VARS_REDEFINED@2:5-2:15']);
    expect(diagnostics[0]?.message).toBe('cannot redefine "train.lr" from extra.yaml:2:3: it is already defined at params.yaml:2:3');
  });

  it('refuses inline vars and stage vars that redefine a value; mappings still merge', async () => {
    const { diagnostics, spec } = await load({
      'params.yaml': 'a: 1\ngroup: { x: 1 }\n',
      'pipelines/a.yaml': 'vars:\n  - { a: 2, group: { y: 2 } }\nstages:\n  s:\n    vars: [{ group: { x: 3 } }]\n    cmd: run ${group.y}\n  t:\n    cmd: run ${group.x} ${group.y}\n',
    });
    expect(codes(diagnostics)).toEqual(['E_VARS_REDEFINED', 'E_VARS_REDEFINED']);
    expect(diagnostics.map((d) => d.range?.line)).toEqual([2, 5]);
    expect(spec.stages.map((s) => s.name)).toEqual(['t']);
  });
});

describe('desc and meta are not tracked (DVC: they do not affect any operation)', () => {
  it('interpolates desc without tracking the params it uses', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': 'note: fast run\nlr: 1\n',
      'pipelines/a.yaml': 'stages:\n  s:\n    desc: "lr ${lr}, ${note}"\n    meta: { about: "${note}" }\n    cmd: run\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.desc).toBe('lr 1, fast run');
    expect(spec.stages[0]?.params).toEqual([]);
  });
});
