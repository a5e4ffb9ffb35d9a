import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { pipelineJsonSchema } from '../../src/pipeline/schema.js';
import { builtins } from '../../src/api/builtins.js';
import { testBuiltins } from './helpers.js';
import { schemaErrors } from './json-schema-check.js';

const EXAMPLE = `
vars:
  - params.yaml
  - extra.yaml:some_key
  - { model: small }
stages:
  decode:
    uses: copy
    deps: [datasets/raw/poems.gbk.csv]
    outs: [datasets/work/poems.csv]
    with: { mode: fast, level: "\${train.level}" }
  train:
    cmd: python3 train.py --lr \${train.lr}
    wdir: sub
    deps: [train.py, data]
    outs:
      - model.bin
      - cache_dir: { cache: false, persist: true, desc: "..." }
    params: [train.lr, { custom.yaml: [a.b] }, other.yaml:]
    metrics: [metrics.json, { m2.json: { cache: false } }]
    plots: [curves.csv, { roc.csv: { x: fpr, y: tpr, template: linear } }]
    desc: text
    frozen: true
    always_changed: true
  build:
    foreach: [a, b]
    do:
      cmd: echo \${item} \${key}
      outs: ["out/\${item}.txt"]
  sweep:
    matrix: { lr: [0.1, 0.01], opt: [adam, sgd] }
    cmd: train --lr \${item.lr} --opt \${item.opt}
`;

describe('pipelineJsonSchema', () => {
  const schema = pipelineJsonSchema(testBuiltins) as Record<string, any>;

  it('is draft-07 with a titled, described property for every stage field', () => {
    expect(schema['$schema']).toBe('http://json-schema.org/draft-07/schema#');
    const stage = schema['definitions'].stage;
    // The stage fields of the README's table (DVC's, plus uses/with), written out by hand.
    const fields = ['cmd', 'uses', 'with', 'wdir', 'deps', 'outs', 'params', 'metrics', 'plots', 'desc', 'frozen', 'always_changed', 'vars', 'meta', 'foreach', 'do', 'matrix'];
    expect(Object.keys(stage.properties).sort()).toEqual([...fields].sort());
    for (const name of fields) {
      expect(stage.properties[name].title).toBe(name);
      expect(stage.properties[name].description).toMatch(/^[A-Z].{10,}/);
    }
    expect(stage.properties.always_changed.anyOf[0]).toEqual({ type: 'boolean' });
    expect(Object.keys(schema['definitions'].plot.anyOf[1].additionalProperties.anyOf[1].properties)).toEqual(expect.arrayContaining(['x', 'y', 'template', 'title', 'x_label', 'y_label']));
  });

  it('validates the documented example', () => {
    expect(schemaErrors(schema, parse(EXAMPLE))).toEqual([]);
  });

  it("rejects unknown keys and a built-in's bad options", () => {
    const bad = parse('stages:\n  s:\n    cmd: x\n    dep: [a]\n  t:\n    uses: copy\n    with: { mode: turbo, nope: 1 }\n');
    expect(schemaErrors(schema, bad)).toEqual([
      '$.stages.s: unexpected dep',
      '$.stages.t.with.mode: not in enum',
      '$.stages.t.with: unexpected nope',
    ]);
  });

  it('adds the options of every registered built-in', () => {
    const real = pipelineJsonSchema(builtins) as Record<string, any>;
    const conditions = real['definitions'].stage.allOf.map((c: any) => c.if.properties.uses.const);
    // The README's built-ins, by hand: a new built-in must be added here (and to the README).
    expect(conditions).toEqual(['backtranslate', 'dropna', 'encoding', 'evaluate', 'image', 'split', 'synonyms', 'train']);
  });
});
