import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitProject } from '../versioning/git-project.js';

const repo = join(import.meta.dirname, '..', '..');

// The real built-ins: `split` (the data stage) and `train` (tfjs, wasm) on ~2,000 Tang and Song poems.
const PIPELINE = `
stages:
  split:
    uses: split
    deps: [data/poems.csv]
    outs: [splits]
    with: { seed: 42, stratify: dynasty }
  train:
    uses: train
    deps: [splits]
    outs: [model]
    metrics: [metrics/train.json]
    plots: [metrics/curves.csv]
    params: [train]
    with:
      task: text-classification
      label_column: dynasty
      char_ngrams: [1, 2]
      word_ngrams: []
      max_features: 2000
      epochs: \${train.epochs}
      batch_size: 64
      lr: \${train.lr}
      seed: 1
      backend: wasm
      machine_facts: false
`;

interface Sweep {
  trials: { name: string; number: number; state: string; value?: number; ran: string[] }[];
  best?: { name: string; value: number };
  stageRuns: Record<string, number>;
}

describe('exp sweep over the train built-in: the split stage never reruns', () => {
  let p: GitProject;
  beforeAll(() => {
    p = GitProject.create();
    p.write({
      'data/poems.csv': iconv.decode(readFileSync(join(repo, 'datasets/raw/poems.gbk.csv')), 'gbk'),
      'params.yaml': 'train:\n  epochs: 2\n  lr: 0.02\n',
      'pipelines/poems.yaml': PIPELINE,
    });
    p.dvcts('repro').expectOk();
    p.commit('baseline');
  });
  afterAll(() => p.cleanup());

  it('each trial trains, none splits; the best applied gives its own report', () => {
    const splits = p.snapshot('splits');
    const r = p.dvcts('exp', 'sweep', '-S', 'train.lr=choice(0.002,0.2)', '--sampler', 'grid', '--objective', 'metrics/train.json:val.accuracy', '-j', '2', '-n', 'poem', '--json').expectOk();
    const s = JSON.parse(r.stdout) as Sweep;
    expect(s.trials.map((t) => [t.name, t.state, t.ran])).toEqual(
      expect.arrayContaining([
        ['poem-0', 'complete', ['pipelines/poems.yaml:train']],
        ['poem-1', 'complete', ['pipelines/poems.yaml:train']],
      ]),
    );
    expect(s.stageRuns).toEqual({ 'pipelines/poems.yaml:train': 2 });
    p.dvcts('exp', 'apply', s.best!.name).expectOk();
    const report = JSON.parse(p.read('metrics/train.json')) as { val: { accuracy: number } };
    expect(report.val.accuracy).toBe(s.best!.value);
    expect(Math.max(...s.trials.map((t) => t.value!))).toBe(s.best!.value);
    expect(p.snapshot('splits')).toEqual(splits);
  }, 180_000);
});
