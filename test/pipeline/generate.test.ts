import { describe, expect, it } from 'vitest';
import { load, where } from './helpers.js';

describe('foreach and matrix', () => {
  it('generates name@item stages from a list of scalars', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': 'stages:\n  build:\n    foreach: [a, b]\n    do:\n      cmd: echo ${item}\n      outs: ["out/${item}.txt"]\n',
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages.map((s) => [s.id, s.group, s.cmd, s.outs[0]?.path])).toEqual([
      ['pipelines/a.yaml:build@a', 'build', ['echo a'], 'out/a.txt'],
      ['pipelines/a.yaml:build@b', 'build', ['echo b'], 'out/b.txt'],
    ]);
  });

  it('uses the key for a dict and the index for a list of mappings', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': `stages:
  dict:
    foreach: { us: { lr: 1 }, eu: { lr: 2 } }
    do: { cmd: "echo \${key} \${item.lr}" }
  rows:
    foreach: [{ x: 1 }, { x: 2 }]
    do: { cmd: "echo \${item.x}" }
`,
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages.map((s) => [s.name, s.cmd?.[0]])).toEqual([
      ['dict@us', 'echo us 1'],
      ['dict@eu', 'echo eu 2'],
      ['rows@0', 'echo 1'],
      ['rows@1', 'echo 2'],
    ]);
  });

  it('takes the foreach list from params', async () => {
    const { spec } = await load({
      'params.yaml': 'models: [small, big]\n',
      'pipelines/a.yaml': 'stages:\n  train:\n    foreach: ${models}\n    do: { cmd: "train ${item}" }\n',
    });
    expect(spec.stages.map((s) => s.name)).toEqual(['train@small', 'train@big']);
  });

  it('names matrix stages by joined values (DVC), first axis slowest', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': `stages:
  sweep:
    matrix: { lr: [0.1, 0.01], opt: [adam, sgd], cfg: [{ a: 1 }] }
    cmd: train --lr \${item.lr} --opt \${item.opt} --a \${item.cfg.a} key=\${key}
`,
    });
    expect(diagnostics).toEqual([]);
    expect(spec.stages.map((s) => [s.name, s.cmd?.[0]])).toEqual([
      ['sweep@0.1-adam-cfg0', 'train --lr 0.1 --opt adam --a 1 key=0.1-adam-cfg0'],
      ['sweep@0.1-sgd-cfg0', 'train --lr 0.1 --opt sgd --a 1 key=0.1-sgd-cfg0'],
      ['sweep@0.01-adam-cfg0', 'train --lr 0.01 --opt adam --a 1 key=0.01-adam-cfg0'],
      ['sweep@0.01-sgd-cfg0', 'train --lr 0.01 --opt sgd --a 1 key=0.01-sgd-cfg0'],
    ]);
    expect(spec.stages.every((s) => s.group === 'sweep')).toBe(true);
  });

  it('reports a generated name that collides', async () => {
    const { diagnostics, spec } = await load({
      'pipelines/a.yaml': 'stages:\n  b:\n    foreach: [x, y, x]\n    do: { cmd: "echo ${item}" }\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_DUPLICATE_STAGE@2:3-2:4']);
    expect(diagnostics[0]?.message).toContain('b@x');
    expect(spec.stages.map((s) => s.name)).toEqual(['b@x', 'b@y']);
  });

  it('reports structural foreach mistakes', async () => {
    const { diagnostics } = await load({
      'pipelines/a.yaml': `stages:
  a:
    foreach: [1]
    cmd: x
    do: { cmd: y }
  b:
    foreach: [1]
  c:
    foreach: 3
    do: { cmd: y }
  d:
    foreach: [1]
    do: { cmd: y, matrix: { a: [1] } }
`,
    });
    expect(diagnostics.map(where)).toEqual(['E_FOREACH@4:5-4:8', 'E_FOREACH@6:3-6:4', 'E_TYPE@9:14-9:15', 'E_FOREACH@13:19-13:25']);
  });

  it('reports unknown keys once for the template, not once per generated stage', async () => {
    const { diagnostics } = await load({
      'pipelines/a.yaml': 'stages:\n  b:\n    foreach: [x, y]\n    do: { cmd: "echo ${item}", dep: [a] }\n',
    });
    expect(diagnostics.map(where)).toEqual(['E_UNKNOWN_KEY@4:32-4:35']);
    expect(diagnostics[0]?.hint).toBe('did you mean "deps"?');
  });
  it('tracks the params a generated stage interpolates, never its item (even one that shadows a param)', async () => {
    const { spec, diagnostics } = await load({
      'pipelines/a.yaml': [
        'stages:',
        '  t:',
        '    foreach: [x, y]',
        '    do:',
        '      cmd: run ${item} ${train.lr}',
        '  u:',
        '    foreach: [z]',
        '    do:',
        '      vars: [{ v: 1 }]',
        '      cmd: run ${item} ${v} ${train.lr}',
        '',
      ].join('\n'),
      'params.yaml': 'item: from-params\ntrain:\n  lr: 0.5\n',
    });
    expect(diagnostics).toEqual([]);
    // By hand: ${item} is the foreach item (DVC: locals shadow params), so params.yaml:item is not a param of any stage.
    expect(spec.stages.map((s) => [s.name, s.cmd, s.params.map((p) => `${p.file}:${p.key}`)])).toEqual([
      ['t@x', ['run x 0.5'], ['params.yaml:train.lr']],
      ['t@y', ['run y 0.5'], ['params.yaml:train.lr']],
      ['u@z', ['run z 1 0.5'], ['params.yaml:train.lr']],
    ]);
  });
});
