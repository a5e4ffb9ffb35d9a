import { termsOf, type NgramConfig } from './ngrams.js';

/**
 * Turns texts into sparse feature vectors. The vocabulary is either learnt from the TRAIN split
 * only (the most frequent terms by document frequency) or a fixed number of hash buckets; idf
 * weights also come from the train split only, so val/test never leak into the features.
 */
export interface FeaturizerConfig extends NgramConfig {
  readonly vocabulary: 'train' | 'hashed';
  /** train vocabulary: keep at most this many terms (highest document frequency first). */
  readonly max_features: number;
  /** train vocabulary: drop terms found in fewer train texts than this. */
  readonly min_df: number;
  /** hashed: number of buckets. */
  readonly hash_dim: number;
  /** tfidf: count × idf; count: raw counts; binary: 1 per present term. Every vector is then L2-normalised. */
  readonly weighting: 'tfidf' | 'count' | 'binary';
}

/** What `fitFeaturizer` learnt; saved as featurizer.json in the model folder. */
export interface FittedFeaturizer {
  readonly config: FeaturizerConfig;
  readonly dim: number;
  /** train vocabulary: the term of each feature index. */
  readonly vocabulary?: readonly string[];
  /** tfidf: smoothed idf of each feature index, ln((1 + n) / (1 + df)) + 1 (scikit-learn's formula). */
  readonly idf?: readonly number[];
}

/** A row of the feature matrix: ascending indices, their values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

export function fitFeaturizer(texts: readonly string[], config: FeaturizerConfig): FittedFeaturizer {
  const docs = texts.map((t) => termsOf(t, config));
  const df = new Map<string, number>();
  for (const terms of docs) for (const term of new Set(terms)) df.set(term, (df.get(term) ?? 0) + 1);

  let vocabulary: string[] | undefined;
  let dim: number;
  let featureDf: number[];
  if (config.vocabulary === 'train') {
    vocabulary = [...df]
      .filter(([, n]) => n >= config.min_df)
      .sort(([a, na], [b, nb]) => nb - na || (a < b ? -1 : a > b ? 1 : 0))
      .slice(0, config.max_features)
      .map(([term]) => term);
    dim = vocabulary.length;
    featureDf = vocabulary.map((t) => df.get(t)!);
  } else {
    dim = config.hash_dim;
    featureDf = new Array<number>(dim).fill(0);
    for (const terms of docs) for (const bucket of new Set(terms.map((t) => bucketOf(t, dim)))) featureDf[bucket]!++;
  }
  const n = texts.length;
  const idf = config.weighting === 'tfidf' ? featureDf.map((d) => Math.log((1 + n) / (1 + d)) + 1) : undefined;
  return { config, dim, ...(vocabulary ? { vocabulary } : {}), ...(idf ? { idf } : {}) };
}

/** A function from text to its L2-normalised sparse vector under a fitted featurizer. */
export function vectorizer(fitted: FittedFeaturizer): (text: string) => SparseVector {
  const { config, dim, idf } = fitted;
  const index = fitted.vocabulary ? new Map(fitted.vocabulary.map((t, i) => [t, i])) : undefined;
  const featureOf = (term: string): number | undefined => (index ? index.get(term) : bucketOf(term, dim));
  return (text) => {
    const counts = new Map<number, number>();
    for (const term of termsOf(text, config)) {
      const f = featureOf(term);
      if (f !== undefined) counts.set(f, (counts.get(f) ?? 0) + 1);
    }
    const indices = Int32Array.from([...counts.keys()].sort((a, b) => a - b));
    const weights = Array.from(indices, (f) => {
      const count = counts.get(f)!;
      if (config.weighting === 'binary') return 1;
      return config.weighting === 'tfidf' ? count * idf![f]! : count;
    });
    const norm = Math.sqrt(weights.reduce((s, w) => s + w * w, 0));
    return { indices, values: Float32Array.from(weights, (w) => (norm === 0 ? 0 : w / norm)) };
  };
}

/** FNV-1a (32-bit) of the term's UTF-16 code units, modulo the bucket count: stable on every machine. */
export function bucketOf(term: string, dim: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < term.length; i++) {
    h ^= term.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % dim;
}
