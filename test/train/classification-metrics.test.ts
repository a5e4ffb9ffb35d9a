import { describe, expect, it } from 'vitest';
import { classificationReport } from '../../src/train/metrics/classification.js';

// Every expected number below was worked out by hand from the confusion matrix in the comment,
// not by the code under test.
describe('classification metrics', () => {
  it('three classes: per-class, macro, micro and weighted scores and the confusion matrix', () => {
    //            predicted a  b  c   support
    // actual a            2  1  1   4
    // actual b            1  2  0   3
    // actual c            0  1  2   3
    // predicted as        3  4  3
    const actual = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c'];
    const predicted = ['a', 'a', 'b', 'c', 'a', 'b', 'b', 'b', 'c', 'c'];
    const r = classificationReport(actual, predicted, ['a', 'b', 'c']);
    expect(r.confusion_matrix).toEqual({ labels: ['a', 'b', 'c'], matrix: [[2, 1, 1], [1, 2, 0], [0, 1, 2]] });
    expect(r.accuracy).toBeCloseTo(6 / 10, 12);
    // a: P = 2/3, R = 2/4, F1 = 2·(2/3)(1/2)/(2/3 + 1/2) = 4/7
    expect(r.per_class.a).toEqual({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(1 / 2, 12), f1: expect.closeTo(4 / 7, 12), support: 4 });
    // b: P = 2/4, R = 2/3, F1 = 4/7
    expect(r.per_class.b).toEqual({ precision: expect.closeTo(1 / 2, 12), recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(4 / 7, 12), support: 3 });
    // c: P = 2/3, R = 2/3, F1 = 2/3
    expect(r.per_class.c).toEqual({ precision: expect.closeTo(2 / 3, 12), recall: expect.closeTo(2 / 3, 12), f1: expect.closeTo(2 / 3, 12), support: 3 });
    // macro: P = (2/3 + 1/2 + 2/3)/3 = 11/18, R = (1/2 + 2/3 + 2/3)/3 = 11/18, F1 = (4/7 + 4/7 + 2/3)/3 = 38/63
    expect(r.macro.precision).toBeCloseTo(11 / 18, 12);
    expect(r.macro.recall).toBeCloseTo(11 / 18, 12);
    expect(r.macro.f1).toBeCloseTo(38 / 63, 12);
    // weighted by support 4, 3, 3: P = (4·2/3 + 3·1/2 + 3·2/3)/10 = 37/60, R = 6/10, F1 = (4·4/7 + 3·4/7 + 3·2/3)/10 = 6/10
    expect(r.weighted.precision).toBeCloseTo(37 / 60, 12);
    expect(r.weighted.recall).toBeCloseTo(6 / 10, 12);
    expect(r.weighted.f1).toBeCloseTo(6 / 10, 12);
    // micro: 6 right of 10 decisions, each wrong one a false positive and a false negative
    expect(r.micro).toEqual({ precision: expect.closeTo(0.6, 12), recall: expect.closeTo(0.6, 12), f1: expect.closeTo(0.6, 12) });
    expect(r.support).toBe(10);
  });

  it('a class only predicted, never true, scores 0 (sklearn zero_division=0) and counts in the macro average', () => {
    // actual x x y, predicted x z y: x P = 1/1, R = 1/2, F1 = 2/3; y P = R = F1 = 1; z P = 0/1, R = 0/0 -> 0, F1 = 0
    const r = classificationReport(['x', 'x', 'y'], ['x', 'z', 'y'], ['x', 'y']);
    expect(r.confusion_matrix.labels).toEqual(['x', 'y', 'z']);
    expect(r.per_class.z).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(r.macro.f1).toBeCloseTo((2 / 3 + 1 + 0) / 3, 12); // 5/9
    expect(r.weighted.f1).toBeCloseTo((2 * (2 / 3) + 1 * 1 + 0) / 3, 12); // 7/9
    expect(r.accuracy).toBeCloseTo(2 / 3, 12);
  });

  it('leaves out model classes that neither the truth nor the predictions have, keeping the model order', () => {
    const r = classificationReport(['b', 'a'], ['b', 'b'], ['b', 'unused', 'a']);
    expect(r.confusion_matrix).toEqual({ labels: ['b', 'a'], matrix: [[1, 0], [1, 0]] });
    expect(Object.keys(r.per_class)).toEqual(['b', 'a']);
  });
});
