import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openTable } from '../../src/table/index.js';
import { bucketOf, fitFeaturizer, vectorizer, type FeaturizerConfig } from '../../src/train/text/featurizer.js';
import { termsOf } from '../../src/train/text/ngrams.js';
import { python } from '../helpers/python.js';

const base: FeaturizerConfig = { vocabulary: 'train', max_features: 100000, min_df: 1, hash_dim: 4096, weighting: 'tfidf' };

function asMap(fitted: ReturnType<typeof fitFeaturizer>, text: string): Record<string, number> {
  const v = vectorizer(fitted)(text);
  return Object.fromEntries(Array.from(v.indices, (f, k) => [fitted.vocabulary![f]!, v.values[k]!]));
}

describe('n-gram terms', () => {
  it('word n-grams keep apostrophes inside words; character n-grams include the single space between words', () => {
    expect(termsOf("The cat's  hat!", { word_ngrams: [1, 2] })).toEqual(['w:the', "w:cat's", 'w:hat', "w:the cat's", "w:cat's hat"]);
    expect(termsOf('ab  c', { char_ngrams: [2, 2] })).toEqual(['c:ab', 'c:b ', 'c: c']);
  });

  it('Chinese works without a segmenter: characters are code points; full-width forms fold to half-width (NFKC)', () => {
    expect(termsOf('春風，𠀋', { char_ngrams: [1, 2] })).toEqual(['c:春', 'c:風', 'c:,', 'c:𠀋', 'c:春風', 'c:風,', 'c:,𠀋']);
    expect(termsOf('ＡＢ', { char_ngrams: [1, 1] })).toEqual(['c:a', 'c:b']);
  });
});

describe('featurizer', () => {
  // dvcts folds text with NFKC first (full-width "，" becomes ","), so sklearn gets the NFKC form.
  it('tf-idf of character 1–3-grams equals scikit-learn TfidfVectorizer(analyzer="char") on real poem lines', async () => {
    const texts: string[] = [];
    for await (const row of await openTable(fileURLToPath(new URL('../fixtures/poems/golden-split/train.csv', import.meta.url)))) texts.push(String(row.record.text));
    texts.splice(40);
    texts.push('The Cat sat.  On the MAT'); // case and runs of spaces
    expect(texts.length).toBe(41);
    const fitted = fitFeaturizer(texts, { ...base, char_ngrams: [1, 3] });
    const expected = python<Record<string, number>[]>(
      `import json, sys, unicodedata
from sklearn.feature_extraction.text import TfidfVectorizer
texts = [unicodedata.normalize("NFKC", t) for t in json.load(sys.stdin)]
v = TfidfVectorizer(analyzer="char", ngram_range=(1, 3))
m = v.fit_transform(texts)
names = v.get_feature_names_out()
print(json.dumps([{ "c:" + names[j]: float(m[i, j]) for j in m[i].indices } for i in range(len(texts))]))`,
      texts,
    );
    expect(fitted.dim).toBe(new Set(expected.flatMap((row) => Object.keys(row))).size);
    texts.forEach((text, i) => {
      const got = asMap(fitted, text);
      expect(Object.keys(got).sort()).toEqual(Object.keys(expected[i]!).sort());
      for (const [term, weight] of Object.entries(expected[i]!)) expect(got[term]).toBeCloseTo(weight, 6);
    });
  });

  it('learns the vocabulary and idf from the train texts only: a term seen only later is no feature', () => {
    // train: "春風春雨", "秋風"; df 風 = 2, 春 = 秋 = 雨 = 1; idf = ln((1+2)/(1+df)) + 1 -> 1 and 1 + ln 1.5
    const fitted = fitFeaturizer(['春風春雨', '秋風'], { ...base, char_ngrams: [1, 1] });
    expect(fitted.vocabulary).toEqual(['c:風', 'c:春', 'c:秋', 'c:雨']); // by df, then by code point
    const idf1 = 1 + Math.log(1.5);
    expect(fitted.idf).toEqual([1, idf1, idf1, idf1].map((x) => expect.closeTo(x, 12)));
    // "冬風": 冬 was never in train, so only 風 counts and the vector is (1) after L2 normalisation
    expect(asMap(fitted, '冬風')).toEqual({ 'c:風': 1 });
    // "春風春雨": weights 風 1, 春 2·idf1, 雨 idf1, divided by their L2 norm
    const norm = Math.sqrt(1 + (2 * idf1) ** 2 + idf1 ** 2);
    const v = asMap(fitted, '春風春雨');
    expect(v['c:風']).toBeCloseTo(1 / norm, 6);
    expect(v['c:春']).toBeCloseTo((2 * idf1) / norm, 6);
    expect(v['c:雨']).toBeCloseTo(idf1 / norm, 6);
  });

  it('max_features keeps the most frequent terms, min_df drops rare ones; binary and count weights', () => {
    const texts = ['a b c', 'a b', 'a'];
    expect(fitFeaturizer(texts, { ...base, word_ngrams: [1, 1], max_features: 2 }).vocabulary).toEqual(['w:a', 'w:b']);
    expect(fitFeaturizer(texts, { ...base, word_ngrams: [1, 1], min_df: 2 }).vocabulary).toEqual(['w:a', 'w:b']);
    const binary = fitFeaturizer(texts, { ...base, word_ngrams: [1, 1], weighting: 'binary' });
    expect(asMap(binary, 'a a b')).toEqual({ 'w:a': expect.closeTo(Math.SQRT1_2, 6), 'w:b': expect.closeTo(Math.SQRT1_2, 6) });
    const count = fitFeaturizer(texts, { ...base, word_ngrams: [1, 1], weighting: 'count' });
    expect(asMap(count, 'a a b')).toEqual({ 'w:a': expect.closeTo(2 / Math.sqrt(5), 6), 'w:b': expect.closeTo(1 / Math.sqrt(5), 6) });
  });

  it('hashes terms with FNV-1a into a fixed number of buckets (values computed independently in Python)', () => {
    expect(bucketOf('c:a', 4096)).toBe(301464219 % 4096);
    expect(bucketOf('w:hello', 4096)).toBe(2623896756 % 4096);
    expect(bucketOf('c:風', 4096)).toBe(1213400624 % 4096);
    const fitted = fitFeaturizer(['a'], { ...base, vocabulary: 'hashed', char_ngrams: [1, 1], weighting: 'count' });
    expect(fitted.dim).toBe(4096);
    expect(fitted.vocabulary).toBeUndefined();
    const v = vectorizer(fitted)('a');
    expect(Array.from(v.indices)).toEqual([2715]);
  });
});
