import { describe, expect, it } from 'vitest';
import { load, where } from './helpers.js';

const PARAMS = `train:
  lr: 0.01
  epochs: 3
  layers: [64, 32]
  opts: { a: 1, b: true }
data:
  - { name: first, path: d/1.csv }
`;

describe('${...} interpolation', () => {
  it('points each error at its own occurrence of a repeated token', async () => {
    const { diagnostics } = await load({
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: echo ${nope} ${ok} ${nope}\n',
    });
    // Line 3 is `    cmd: echo ${nope} ${ok} ${nope}` (worked by hand, columns from 1, end exclusive):
    // the first ${nope} is at 15-22, ${ok} (missing too) at 23-28, the second ${nope} at 29-36.
    expect(diagnostics.map(where)).toEqual(['E_INTERP_MISSING@3:15-3:22', 'E_INTERP_MISSING@3:23-3:28', 'E_INTERP_MISSING@3:29-3:36']);
  });

  it('keeps the type of a whole-string reference and formats partial ones', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': PARAMS,
      'pipelines/a.yaml': `stages:
  s:
    uses: copy
    deps: ["\${data[0].path}"]
    outs: ["out/\${train.epochs}-\${train.opts.b}.csv"]
    with:
      level: \${train.epochs}
      columns: \${train.layers}
      ratios: \${train.opts}
`,
    });
    // layers are numbers and opts.b is a boolean: the schema wants strings and numbers.
    expect(diagnostics.map((d) => `${where(d)} ${d.message}`)).toEqual([
      'E_OPTION_TYPE@8:16-8:31 "columns[0]" must be a string, got the integer 64 (stage "s", uses: copy)',
      'E_OPTION_TYPE@8:16-8:31 "columns[1]" must be a string, got the integer 32 (stage "s", uses: copy)',
      'E_OPTION_TYPE@9:15-9:28 "ratios.b" must be a number, got a boolean (true) (stage "s", uses: copy)',
    ]);
    expect(spec.stages).toEqual([]);
    const fixed = await load({
      'params.yaml': PARAMS,
      'pipelines/a.yaml': `stages:
  s:
    uses: copy
    deps: ["\${data[0].path}"]
    outs: ["out/\${train.epochs}-\${train.opts.b}.csv"]
    with:
      level: \${train.epochs}
      columns: [x, "lr=\${train.lr}"]
`,
    });
    expect(fixed.diagnostics).toEqual([]);
    const stage = fixed.spec.stages[0];
    expect(stage?.deps.map((d) => d.path)).toEqual(['d/1.csv']);
    expect(stage?.outs.map((o) => o.path)).toEqual(['out/3-true.csv']);
    expect(stage?.with).toEqual({ mode: 'safe', level: 3, columns: ['x', 'lr=0.01'] });
  });

  it('treats \\${ as a literal and supports DVC dotted indexes', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': PARAMS,
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: echo \\${HOME} ${train.layers.1} ${train.layers[0]}\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.cmd).toEqual(['echo ${HOME} 32 64']);
  });

  it('reports a missing key at the exact ${...} span with close matches', async () => {
    const { diagnostics } = await load({
      'params.yaml': PARAMS,
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: "python t.py --lr ${train.lr} --e ${train.epoch}"\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_INTERP_MISSING@3:44-3:58']);
    expect(diagnostics[0]?.hint).toBe('did you mean "${train.epochs}"?');
  });

  it('refuses a list inside a longer string', async () => {
    const { diagnostics } = await load({
      'params.yaml': PARAMS,
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: echo ${train.layers}\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_INTERP_TYPE@3:15-3:30']);
  });

  it('merges vars in order and imports only the named key of file:key', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': 'b: keep\n',
      'more.yaml': 'a: from-more\nsecret: no\n',
      'pipelines/a.yaml': 'vars: [more.yaml:a, { c: inline }]\nstages:\n  s:\n    cmd: echo ${a} ${b} ${c}\n  t:\n    cmd: echo ${secret}\n',
    });
    expect(spec.stages[0]?.cmd).toEqual(['echo from-more keep inline']);
    expect(diagnostics.map((d) => d.code)).toEqual(['E_INTERP_MISSING']);
  });

  it('tracks params that interpolated values came from, deduped with declared ones', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': PARAMS,
      'other.yaml': 'seed: 7\nlist: [1, 2]\n',
      'pipelines/a.yaml': `vars: [other.yaml, { local: 1 }]
stages:
  s:
    cmd: run \${train.lr} \${train.lr} \${seed} \${local} \${list[1]} \${train.opts.a}
    params: [train.opts]
`,
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.params.map((p) => [p.file, p.key])).toEqual([
      ['params.yaml', 'train.opts'],
      ['params.yaml', 'train.lr'],
      ['other.yaml', 'seed'],
      ['other.yaml', 'list[1]'],
    ]);
  });

  it('tracks each file that a merged mapping came from', async () => {
    const { spec, diagnostics } = await load({
      'params.yaml': 'train: { lr: 1, bs: 8 }\n',
      'more.yaml': 'train: { seed: 2 }\n',
      'pipelines/a.yaml': 'vars: [more.yaml]\nstages:\n  s:\n    cmd: run ${train.seed} ${train.bs}\n  t:\n    uses: copy\n    outs: [o]\n    with:\n      ratios: ${train}\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.cmd).toEqual(['run 2 8']);
    expect(spec.stages[0]?.params.map((p) => `${p.file}:${p.key}`)).toEqual(['more.yaml:train.seed', 'params.yaml:train.bs']);
    expect(spec.stages[1]?.params.map((p) => `${p.file}:${p.key}`).sort()).toEqual(['more.yaml:train', 'params.yaml:train']);
  });

  it('expands ${deps} and ${outs} in cmd, relative to wdir and shell-quoted', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': "stages:\n  s:\n    wdir: w\n    cmd: tool ${deps} -o ${outs}\n    deps: [a.txt, \"b c.txt\", ../top.txt]\n    outs: [o.txt]\n    metrics: [\"it's.json\"]\n",
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages[0]?.cmd).toEqual([`tool a.txt 'b c.txt' ../top.txt -o o.txt 'it'"'"'s.json'`]); // shlex.quote's form
  });

  it('prefers a context key named deps over the ${deps} convenience', async () => {
    const { spec } = await load({
      'params.yaml': 'deps: mine\n',
      'pipelines/a.yaml': 'stages:\n  s:\n    cmd: echo ${deps}\n    deps: [x]\n',
    });
    expect(spec.stages[0]?.cmd).toEqual(['echo mine']);
  });
});
