import type { Tf } from '../backend/tf.js';
import type { Dataset } from '../model/fit.js';
import type { SparseVector } from '../text/featurizer.js';

/**
 * Datasets for the training loop. Labels are class indices; -1 (a class the model does not
 * know) becomes an all-zero row in the one-hot matrix. Text rows stay sparse and are made dense
 * one batch at a time, so memory is O(non-zeros + batch × features), not rows × features.
 */
export function textDataset(tf: Tf, vectors: readonly SparseVector[], labels: Int32Array, dim: number, classes: number): Dataset {
  return {
    size: vectors.length,
    batch(rows) {
      const x = new Float32Array(rows.length * dim);
      for (let r = 0; r < rows.length; r++) {
        const v = vectors[rows[r]!]!;
        for (let k = 0; k < v.indices.length; k++) x[r * dim + v.indices[k]!] = v.values[k]!;
      }
      return { x: tf.tensor2d(x, [rows.length, dim]), y: oneHot(tf, labels, rows, classes) };
    },
  };
}

/** Images as one flat array of height × width × channels floats per row. */
export function imageDataset(tf: Tf, pixels: Float32Array, shape: readonly [number, number, number], labels: Int32Array, classes: number): Dataset {
  const [h, w, c] = shape;
  const size = h * w * c;
  return {
    size: labels.length,
    batch(rows) {
      const x = new Float32Array(rows.length * size);
      for (let r = 0; r < rows.length; r++) x.set(pixels.subarray(rows[r]! * size, (rows[r]! + 1) * size), r * size);
      return { x: tf.tensor4d(x, [rows.length, h, w, c]), y: oneHot(tf, labels, rows, classes) };
    },
  };
}

function oneHot(tf: Tf, labels: Int32Array, rows: ArrayLike<number>, classes: number) {
  const y = new Float32Array(rows.length * classes);
  for (let r = 0; r < rows.length; r++) {
    const label = labels[rows[r]!]!;
    if (label >= 0) y[r * classes + label] = 1;
  }
  return tf.tensor2d(y, [rows.length, classes]);
}
