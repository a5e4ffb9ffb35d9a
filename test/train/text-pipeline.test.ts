import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poemsCsv, poemsTrainPipeline } from '../helpers/poems.js';
import { TempProject } from '../helpers/project.js';
import { python } from '../helpers/python.js';

// ~2,000 real Tang and Song poems (the example's data), split 7:1:2, then a character n-gram
// linear model: small enough for seconds on wasm, hard enough that guessing the majority fails.
const PIPELINE = poemsTrainPipeline(`      lr: 0.02
      seed: \${train.seed}
      backend: \${train.backend}
  evaluate:
    uses: evaluate
    deps: [model, splits]
    metrics: [metrics/test.json]
    plots:
      - metrics/predictions.csv: { template: confusion, x: actual, y: predicted }
    with: { backend: wasm, id_column: id }
`);

let project: TempProject;
beforeAll(() => {
  project = TempProject.init({
    'data/poems.csv': poemsCsv(),
    'params.yaml': 'train: { epochs: 2, seed: 1, backend: wasm }\n',
    'pipelines/poems.yaml': PIPELINE,
  });
  project.dvcts('repro').expectOk();
});
afterAll(() => project.cleanup());

const json = (rel: string): any => JSON.parse(project.read(rel));

describe('train + evaluate on Chinese poems (character n-grams, no segmenter)', () => {
  it('beats the majority class clearly on the test split', () => {
    const test = project.read('splits/test.csv').trim().split('\n').slice(1);
    const tang = test.filter((line) => line.split(',')[1] === 'tang').length;
    const majority = Math.max(tang, test.length - tang) / test.length; // counted here, from the split file
    const report = json('metrics/test.json');
    expect(report.support).toBe(test.length);
    expect(report.accuracy).toBeGreaterThan(majority + 0.2);
    expect(report.macro.f1).toBeGreaterThan(0.75);
    const train = json('metrics/train.json');
    expect(train).toMatchObject({ task: 'text-classification', classes: ['song', 'tang'], epochs: { requested: 2, run: 2 }, backend: { name: 'wasm', tfjs: 'wasm' } });
    expect(train.timing.seconds_per_epoch).toBeGreaterThan(0);
    expect(project.read('metrics/curves.csv').split('\n')[0]).toBe('epoch,loss,acc,val_loss,val_acc,lr');
  });

  it("evaluate's numbers equal scikit-learn's classification_report and confusion_matrix on the same predictions", () => {
    const predictions = project.read('metrics/predictions.csv');
    const sk = python<any>(
      `import csv, io, json, sys
from sklearn.metrics import classification_report, confusion_matrix
rows = list(csv.DictReader(io.StringIO(json.load(sys.stdin))))
y, p = [r["actual"] for r in rows], [r["predicted"] for r in rows]
labels = sorted(set(y) | set(p))
print(json.dumps({"report": classification_report(y, p, output_dict=True, zero_division=0), "labels": labels,
                  "matrix": confusion_matrix(y, p, labels=labels).tolist()}))`,
      predictions,
    );
    const ours = json('metrics/test.json');
    expect(ours.confusion_matrix).toEqual({ labels: sk.labels, matrix: sk.matrix });
    expect(ours.accuracy).toBeCloseTo(sk.report.accuracy, 12);
    for (const [avg, key] of [['macro avg', 'macro'], ['weighted avg', 'weighted']] as const) {
      expect(ours[key].precision).toBeCloseTo(sk.report[avg].precision, 12);
      expect(ours[key].recall).toBeCloseTo(sk.report[avg].recall, 12);
      expect(ours[key].f1).toBeCloseTo(sk.report[avg]['f1-score'], 12);
    }
    for (const label of sk.labels) {
      const s = sk.report[label];
      expect(ours.per_class[label]).toEqual({ precision: expect.closeTo(s.precision, 12), recall: expect.closeTo(s.recall, 12), f1: expect.closeTo(s['f1-score'], 12), support: s.support });
    }
  });

  it('same seed + same backend gives the same model bytes and metrics; another seed does not', () => {
    const facts = (): string[] => {
      const { timing, ...report } = json('metrics/train.json');
      return ['model/model.json', 'model/weights.bin', 'model/featurizer.json', 'metrics/curves.csv'].map((f) => project.read(f)).concat(JSON.stringify(report), String(timing !== undefined));
    };
    const first = facts();
    project.dvcts('repro', '-f', '-s', 'train').expectOk();
    expect(facts()).toEqual(first);
    project.write({ 'params.yaml': 'train: { epochs: 2, seed: 2, backend: wasm }\n' });
    project.dvcts('repro', 'train').expectOk();
    const other = facts();
    expect(other[1]).not.toEqual(first[1]); // weights
    expect(other[2]).toEqual(first[2]); // the featurizer depends on the data, not the seed
  });
});
