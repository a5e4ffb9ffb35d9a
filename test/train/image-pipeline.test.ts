import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImages } from '../../src/train/image/decode.js';
import { TempProject } from '../helpers/project.js';
import { greyBytes, writeDigitFolder, type DigitRow } from './images.js';

// 40 real MNIST digits per class (24 train, 4 val, 12 test) as an `image` stage would write them,
// and a small CNN: far above the 10% a majority guess gets, in a few seconds on wasm.
const stage = (name: string, images: string, extra = '', moreDeps = ''): string => `
  ${name}:
    uses: train
    deps: [splits, ${images}${moreDeps}]
    outs: [models/${name}]
    metrics: [metrics/${name}.json]
    with: { task: image-classification, images: ${images}, conv_filters: [8, 16], epochs: 4, batch_size: 16, lr: 0.01, seed: 3, backend: wasm${extra} }`;

let project: TempProject;
let rows: DigitRow[];
beforeAll(async () => {
  project = TempProject.init();
  rows = await writeDigitFolder(project.root, 'images/unit', 'splits', 40, 'unit');
  await writeDigitFolder(project.root, 'images/std', 'splits', 40, 'standardize');
  cpSync(project.path('images/std'), project.path('images/aug'), { recursive: true });
  // "augmented" train images: a folder whose manifest lists only the train rows, twice over (copy 0 and 1)
  const trainRows = rows.filter((r) => r.split === 'train');
  const manifest = ['path,label,source,copy,width,height', ...[0, 1].flatMap((copy) => trainRows.map((r) => `${r.path},${r.label},${r.path},${copy},28,28`))];
  project.write({ 'images/aug/manifest.csv': `${manifest.join('\n')}\n` });
  project.write({
    'pipelines/digits.yaml': `stages:${stage('unit', 'images/unit')}${stage('std', 'images/std', ', train_images: images/aug', ', images/aug')}
  evaluate:
    uses: evaluate
    deps: [models/unit, splits/test.csv, images/unit]
    metrics: [metrics/test.json]
    with: { images: images/unit, backend: wasm }
`,
  });
  project.dvcts('repro').expectOk();
});
afterAll(() => project.cleanup());

const json = (rel: string): any => JSON.parse(project.read(rel));

describe('train + evaluate on images (CONTRACT-image-train.md)', () => {
  it('a small CNN on real MNIST digits beats the majority class by far', () => {
    const test = json('metrics/test.json');
    expect(test.support).toBe(rows.filter((r) => r.split === 'test').length);
    expect(test.accuracy).toBeGreaterThan(0.1 + 0.4);
    expect(test.confusion_matrix.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(json('metrics/unit.json')).toMatchObject({ task: 'image-classification', inputs: { width: 28, height: 28, channels: 1, scale: 'unit' }, train: { rows: 240 }, val: { rows: 40 } });
  });

  it('standardize: per-channel mean and std of the TRAIN images only (here from train_images), saved for evaluate', () => {
    const train = rows.filter((r) => r.split === 'train').flatMap((r) => [...greyBytes(r.pixels)].map((b) => b / 255)); // each twice in aug: same mean and std
    const mean = train.reduce((a, b) => a + b, 0) / train.length;
    const std = Math.sqrt(train.reduce((a, b) => a + (b - mean) ** 2, 0) / train.length);
    const input = json('models/std/classifier.json').input;
    expect(input.scale).toBe('standardize');
    expect(input.mean[0]).toBeCloseTo(mean, 6);
    expect(input.std[0]).toBeCloseTo(std, 6);
    expect(json('metrics/std.json').val.accuracy).toBeGreaterThan(0.5);
  });

  it('train_images replaces the train rows with another image folder (augmented copies)', () => {
    expect(json('metrics/std.json').train).toMatchObject({ rows: 480, file: 'images/aug/manifest.csv' });
  });

  it('decodes exactly the pixels that were written, and refuses manifest paths that leave the folder', async () => {
    const first = rows[0]!;
    const pixels = await decodeImages([{ folder: project.path('images/unit'), path: first.path, file: 'm.csv', line: 2 }], { width: 28, height: 28, channels: 1 });
    expect(Array.from(pixels)).toEqual([...greyBytes(first.pixels)].map((b) => Math.fround(b / 255)));
    await expect(decodeImages([{ folder: project.path('images/unit'), path: '../secret.png', file: 'm.csv', line: 7 }], { width: 28, height: 28, channels: 1 })).rejects.toMatchObject({
      code: 'E_IMAGE_PATH_INVALID',
      data: { file: 'm.csv', line: 7 },
    });
  });
});
