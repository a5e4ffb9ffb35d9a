import { afterEach, describe, expect, it } from 'vitest';
import { TempProject } from '../helpers/project.js';

let p: TempProject | undefined;
afterEach(() => p?.cleanup());

const SPLITS = {
  'splits/train.csv': 'id,text,label\n1,spring rain,a\n2,autumn wind,b\n3,,a\n',
  'splits/val.csv': 'id,text,label\n4,spring,a\n',
};

describe('train/evaluate: bad pipelines are refused before anything runs, at their line', () => {
  it('reports every option problem with its code and position', () => {
    p = TempProject.init({
      ...SPLITS,
      'pipelines/p.yaml': `stages:
  text:
    uses: train
    deps: [splits]
    outs: [model]
    with: { task: text-classification, model: cnn, char_ngrams: [3, 1], train: other/train.csv, images: imgs }
  typo:
    uses: train
    deps: [splits]
    outs: [model3]
    with: { task: text-classification, epoch: 3 }
  image:
    uses: train
    deps: [splits]
    outs: [model2]
    with: { task: image-classification, vocabulary: hashed }
`,
    });
    const r = p.dvcts('status');
    expect(r.code).toBe(2);
    const found = [...r.stderr.matchAll(/^pipelines\/p\.yaml:(\d+):(\d+): error\[(E_[A-Z_]+)\]: (.*)$/gm)].map((m) => `${m[1]} ${m[3]} ${m[4]}`);
    expect(found).toEqual([
      expect.stringMatching(/^6 E_OPTION_VALUE model cnn does not fit text-classification/),
      expect.stringMatching(/^6 E_OPTION_VALUE `char_ngrams` must be \[min, max\] with min ≤ max/),
      expect.stringMatching(/^6 E_OPTION_FILE_NOT_DEP `train: other\/train.csv` is not a dep of the stage/),
      expect.stringMatching(/^6 E_OPTION_UNUSED `images` has no effect here: it applies to image tasks only/),
      expect.stringMatching(/^6 E_OPTION_FILE_NOT_DEP `images: imgs` is not a dep/),
      expect.stringMatching(/^11 E_OPTION_UNKNOWN unknown option "epoch"/),
      expect.stringMatching(/^16 E_OPTION_MISSING image-classification needs `images:`/),
      expect.stringMatching(/^16 E_OPTION_UNUSED `vocabulary` has no effect here: it applies to text tasks only/),
    ]);
    expect(r.stderr).toContain('hint: did you mean "epochs"?');
  });
});

describe('train/evaluate: bad data fails the stage with what, where and how to fix, no stack trace', () => {
  const stage = (extra: string, deps = '[splits]'): string =>
    `stages:\n  train:\n    uses: train\n    deps: ${deps}\n    outs: [model]\n    with: { task: text-classification, epochs: 1, backend: wasm${extra} }\n`;
  const failure = (files: Record<string, string>): string => {
    p = TempProject.init(files);
    const r = p.dvcts('repro');
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
    return r.stderr;
  };

  it('an empty label: E_TRAIN_VALUE_MISSING at file:line', () => {
    const err = failure({ ...SPLITS, 'splits/train.csv': 'id,text,label\n1,a,x\n2,b,\n', 'pipelines/p.yaml': stage('') });
    expect(err).toMatch(/splits\/train\.csv:3: the label_column column "label" is empty \[E_TRAIN_VALUE_MISSING\]/);
    expect(err).toContain('hint: drop rows with missing values first');
  });

  it('a column that does not exist: E_TABLE_UNKNOWN_COLUMN naming the columns the file has', () => {
    const err = failure({ ...SPLITS, 'pipelines/p.yaml': stage(', label_column: dynasty') });
    expect(err).toMatch(/label_column names column "dynasty" that the file does not have; it has "id", "text", "label" \[E_TABLE_UNKNOWN_COLUMN\]/);
  });

  it('one class only: E_TRAIN_ONE_CLASS; no train split: E_TRAIN_INPUT_MISSING saying where it looked', () => {
    expect(failure({ 'splits/train.csv': 'text,label\na,x\nb,x\n', 'pipelines/p.yaml': stage('') })).toMatch(/only one class \("x"\).*\[E_TRAIN_ONE_CLASS\]/);
    p!.cleanup();
    expect(failure({ 'splits/other.csv': 'text,label\na,x\n', 'pipelines/p.yaml': stage('') })).toMatch(/train split not found: splits\/train\.csv\|tsv\|jsonl \[E_TRAIN_INPUT_MISSING\]/);
  });

  it('early stopping without a val split: E_TRAIN_NO_VAL; a forced backend that is missing: E_BACKEND_UNAVAILABLE', () => {
    expect(failure({ 'splits/train.csv': SPLITS['splits/train.csv'].replace(',,a', ',c,a'), 'pipelines/p.yaml': stage(', early_stopping: { patience: 2 }') })).toContain('[E_TRAIN_NO_VAL]');
    p!.cleanup();
    const err = failure({ ...SPLITS, 'splits/train.csv': SPLITS['splits/train.csv'].replace(',,a', ',c,a'), 'pipelines/p.yaml': stage('').replace('backend: wasm', 'backend: tfjs-node') });
    expect(err).toMatch(/backend tfjs-node is not available here: @tensorflow\/tfjs-node is not installed.*\[E_BACKEND_UNAVAILABLE\]/);
  });
});
