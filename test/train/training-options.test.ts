import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

// Small made-up data: the checks here are about the training loop, not about accuracy.
const rows = Array.from({ length: 80 }, (_, i) => `${i},${i % 2 ? 'spring rain falls' : 'autumn wind blows'} ${i % 7},${i % 2 ? 'a' : 'b'}`);
const stage = (name: string, extra: string): string => `
  ${name}:
    uses: train
    deps: [splits]
    outs: [models/${name}]
    metrics: [m/${name}.json]
    plots: [m/${name}.csv]
    with: { task: text-classification, batch_size: 16, seed: 4, backend: wasm${extra} }`;

let p: TempProject;
beforeAll(() => {
  p = TempProject.init({
    'splits/train.csv': `id,text,label\n${rows.join('\n')}\n`,
    'splits/val.csv': `id,text,label\n${rows.slice(0, 20).join('\n')}\n`,
    'pipelines/p.yaml': `stages:${stage('stop', ', epochs: 5, lr: 0.05, early_stopping: { patience: 2, min_delta: 10 }')}${stage('step', ', epochs: 5, optimizer: sgd, lr: 0.1, lr_schedule: step, lr_decay: 0.5, lr_step: 2')}${stage('cosine', ', optimizer: momentum, lr: 0.1, lr_schedule: cosine, epochs: 4, model: mlp, hidden: [8], dropout: 0.5, l2: 0.001')}\n`,
  });
  p.dvcts('repro').expectOk();
});
afterAll(() => p.cleanup());

const curves = (name: string): Record<string, number>[] => {
  const [header, ...lines] = p.read(`m/${name}.csv`).trim().split('\n');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [header!.split(',')[i]!, Number(v)])));
};

describe('the training loop', () => {
  it('early stopping: no later epoch improves val loss by min_delta, so it stops after `patience` more epochs and keeps epoch 1', () => {
    const report = JSON.parse(p.read('m/stop.json'));
    expect(report.epochs).toEqual({ requested: 5, run: 3, best: 1, stopped_early: true });
    expect(curves('stop')).toHaveLength(3);
    // the kept weights are epoch 1's: the final val loss equals epoch 1's, measured the same way
    expect(report.val.loss).toBe(curves('stop')[0]!.val_loss);
  });

  it('lr schedules give the rates worked out by hand', () => {
    expect(curves('step').map((r) => r.lr)).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    // cosine over 4 epochs: 0.1 · (1 + cos(π e / 4)) / 2 for e = 0..3
    const cosine = curves('cosine').map((r) => r.lr);
    [0.1, 0.1 * (1 + Math.SQRT1_2) / 2, 0.05, 0.1 * (1 - Math.SQRT1_2) / 2].forEach((lr, i) => expect(cosine[i]).toBeCloseTo(lr, 12));
  });

  it('sgd, momentum, an MLP with dropout and L2 all learn the toy task', () => {
    for (const name of ['step', 'cosine']) expect(JSON.parse(p.read(`m/${name}.json`)).val.accuracy).toBe(1);
  });
});
