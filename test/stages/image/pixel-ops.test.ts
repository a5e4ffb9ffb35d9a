import { describe, expect, it } from 'vitest';
import { colorJitter } from '../../../src/stages/image/color-jitter.js';
import { OutputNames } from '../../../src/stages/image/output-names.js';
import { cropAt, mirror, padTo, type RawImage } from '../../../src/stages/image/pixels.js';
import { OutputRandom } from '../../../src/stages/image/random.js';

const grey = (...values: number[]): RawImage => ({ data: Buffer.from(values), width: values.length, height: 1, channels: 1 });
const rgb = (...pixels: [number, number, number][]): RawImage => ({ data: Buffer.from(pixels.flat()), width: pixels.length, height: 1, channels: 3 });
const only = (step: 'brightness' | 'contrast' | 'saturation' | 'hue', factor: number) =>
  ({ brightness: 1, contrast: 1, saturation: 1, hue: 0, [step]: factor });

// Expected values worked by hand from Albumentations' ColorJitter formulas (see color-jitter.ts).
describe('colour jitter (Albumentations ColorJitter formulas)', () => {
  it('brightness multiplies, clips at 255 and truncates', () => {
    expect([...colorJitter(grey(100, 200, 3), only('brightness', 1.5)).data]).toEqual([150, 255, 4]); // 4.5 -> 4
    expect([...colorJitter(grey(100, 200), only('brightness', 0.5)).data]).toEqual([50, 100]);
  });

  it('contrast pulls towards the mean grey level', () => {
    // mean of (0, 100) is 50: v * 0.5 + 50 * 0.5
    expect([...colorJitter(grey(0, 100), only('contrast', 0.5)).data]).toEqual([25, 75]);
    // RGB: grey of (255,0,0) = round(0.299*255) = 76, of (0,0,0) = 0: mean 38; factor 2: 2v - 38
    expect([...colorJitter(rgb([255, 0, 0], [0, 0, 0]), only('contrast', 2)).data]).toEqual([255, 0, 0, 0, 0, 0]);
    expect([...colorJitter(grey(0, 100), only('contrast', 0)).data]).toEqual([50, 50]);
  });

  it('saturation blends each pixel with its own grey; grey images are left alone', () => {
    expect([...colorJitter(rgb([255, 0, 0]), only('saturation', 0)).data]).toEqual([76, 76, 76]);
    // grey of (200,100,50) = 59.8 + 58.7 + 5.7 = 124.2 -> 124; factor 2: 2v - 124
    expect([...colorJitter(rgb([200, 100, 50]), only('saturation', 2)).data]).toEqual([255, 76, 0]);
    expect([...colorJitter(grey(10, 20), only('saturation', 0)).data]).toEqual([10, 20]);
  });

  it('hue turns the colour wheel', () => {
    expect([...colorJitter(rgb([255, 0, 0]), only('hue', 1 / 3)).data]).toEqual([0, 255, 0]); // red -> green
    expect([...colorJitter(rgb([255, 0, 0]), only('hue', 0.5)).data]).toEqual([0, 255, 255]); // red -> cyan
    expect([...colorJitter(rgb([255, 0, 0]), only('hue', -1 / 3)).data]).toEqual([0, 0, 255]); // red -> blue
    expect([...colorJitter(rgb([128, 128, 128]), only('hue', 0.25)).data]).toEqual([128, 128, 128]); // no hue to turn
  });

  it('applies the steps in the order given', () => {
    // brightness 2 then contrast 0: flat at the new mean, (0 + 255) / 2 = 127.5 -> 128;
    // contrast 0 then brightness 2: twice the old mean, 2 * 100
    expect([...colorJitter(grey(0, 200), { brightness: 2, contrast: 0, saturation: 1, hue: 0 }, ['brightness', 'contrast']).data]).toEqual([128, 128]); // (0+255)/2 = 127.5 -> 128
    expect([...colorJitter(grey(0, 200), { brightness: 2, contrast: 0, saturation: 1, hue: 0 }, ['contrast', 'brightness']).data]).toEqual([200, 200]);
  });
});

describe('geometry on raw pixels', () => {
  // 3x2 grey image:  1 2 3
  //                  4 5 6
  const img: RawImage = { data: Buffer.from([1, 2, 3, 4, 5, 6]), width: 3, height: 2, channels: 1 };
  it('mirrors', () => {
    expect([...mirror(img, true, false).data]).toEqual([3, 2, 1, 6, 5, 4]);
    expect([...mirror(img, false, true).data]).toEqual([4, 5, 6, 1, 2, 3]);
    expect([...mirror(img, true, true).data]).toEqual([6, 5, 4, 3, 2, 1]);
  });
  it('crops and pads with black, centred', () => {
    expect([...cropAt(img, 1, 0, 2, 2).data]).toEqual([2, 3, 5, 6]);
    const padded = padTo(img, 5, 4);
    expect([padded.width, padded.height]).toEqual([5, 4]);
    expect([...padded.data]).toEqual([0, 0, 0, 0, 0, 0, 1, 2, 3, 0, 0, 4, 5, 6, 0, 0, 0, 0, 0, 0]);
  });
});

describe('seeded randomness', () => {
  it('depends on seed, source, content id and copy only', () => {
    const draws = (r: OutputRandom) => [r.next(), r.next(), r.next()];
    const a = draws(new OutputRandom(1, 'cat/a.jpg', 'id1', 1));
    expect(draws(new OutputRandom(1, 'cat/a.jpg', 'id1', 1))).toEqual(a);
    for (const other of [new OutputRandom(2, 'cat/a.jpg', 'id1', 1), new OutputRandom(1, 'cat/b.jpg', 'id1', 1), new OutputRandom(1, 'cat/a.jpg', 'id2', 1), new OutputRandom(1, 'cat/a.jpg', 'id1', 2)]) {
      expect(draws(other)).not.toEqual(a);
    }
    // roughly uniform: 10,000 draws, each tenth holds 10% +- 1.5%
    const r = new OutputRandom('s', 'x', 'y', 0);
    const bins = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) bins[Math.floor(r.next() * 10)]++;
    for (const b of bins) expect(Math.abs(b - 1000)).toBeLessThan(150);
  });
});

describe('output names', () => {
  it('keep folders and names, and keep extensions only where names would clash', () => {
    const names = new OutputNames(['cat/a.jpg', 'cat/a.png', 'cat/a.jpg.png', 'cat/b.jpeg', 'dog/a.jpg', 'dog/x y ü.webp', 'dog/noext'], 'png');
    expect(names.of('cat/a.jpg', 0)).toBe('cat/a.jpg.c0.png');
    expect(names.of('cat/a.png', 1)).toBe('cat/a.png.c1.png');
    expect(names.of('cat/a.jpg.png', 0)).toBe('cat/a.jpg.png.c0.png');
    expect(names.of('cat/b.jpeg', 2)).toBe('cat/b.c2.png');
    expect(names.of('dog/a.jpg', 0)).toBe('dog/a.c0.png');
    expect(names.of('dog/x y ü.webp', 0)).toBe('dog/x y ü.c0.png');
    expect(names.of('dog/noext', 0)).toBe('dog/noext.c0.png');
    expect(new OutputNames(['a/b.png'], 'jpeg').of('a/b.png', 0)).toBe('a/b.c0.jpg');
  });
});
