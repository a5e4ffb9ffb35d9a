import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poemsCsv, poemsTrainPipeline } from '../helpers/poems.js';
import { GitProject } from '../versioning/git-project.js';

// The real built-ins: `split` (the data stage) and `train` (tfjs, wasm) on ~2,000 Tang and Song poems.
const PIPELINE = poemsTrainPipeline(`      lr: \${train.lr}
      seed: 1
      backend: wasm
      machine_facts: false
`);

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
      'data/poems.csv': poemsCsv(),
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
