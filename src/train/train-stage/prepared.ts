import type { Tf } from '../backend/tf.js';
import type { ClassifierInfo } from '../classifier.js';
import type { Dataset } from '../model/fit.js';

type LayersModel = import('@tensorflow/tfjs').LayersModel;

/** A task's inputs, read and ready before tfjs starts: what the training loop needs. */
export interface Prepared {
  readonly classes: readonly string[];
  readonly info: ClassifierInfo;
  /** Files for the model folder besides model.json/weights.bin/classifier.json. */
  readonly files: Record<string, string>;
  /** What the model's input is, for the report (features, or the image shape). */
  readonly inputs: Record<string, unknown>;
  readonly train: { readonly file: string; readonly labels: readonly string[] };
  readonly val?: { readonly file: string; readonly labels: readonly string[] };
  datasets(tf: Tf): { train: Dataset; val?: Dataset };
  build(tf: Tf): LayersModel;
}
