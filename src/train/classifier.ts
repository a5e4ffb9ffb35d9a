import type { ImageInput } from './image/preprocess.js';
import { invalidModel, readModelFile } from './model/files.js';
import type { FittedFeaturizer } from './text/featurizer.js';

/**
 * `classifier.json` of a model folder: the task, the classes in output order, the columns the
 * model reads, and how raw input becomes model input (text: `featurizer.json` beside it; image:
 * the input size and pixel scaling, with the train split's statistics).
 */
export type ClassifierInfo =
  | {
      readonly version: 1;
      readonly task: 'text-classification';
      readonly labels: readonly string[];
      readonly label_column: string;
      readonly text_column: string;
    }
  | {
      readonly version: 1;
      readonly task: 'image-classification';
      readonly labels: readonly string[];
      readonly label_column: string;
      readonly path_column: string;
      readonly input: ImageInput;
    };

export const CLASSIFIER_FILE = 'classifier.json';
export const FEATURIZER_FILE = 'featurizer.json';

export async function readClassifier(dir: string): Promise<{ info: ClassifierInfo; featurizer?: FittedFeaturizer }> {
  let info: ClassifierInfo;
  try {
    info = JSON.parse(await readModelFile(dir, CLASSIFIER_FILE, 'utf8')) as ClassifierInfo;
  } catch (e) {
    if (e instanceof SyntaxError) throw invalidModel(dir, `${CLASSIFIER_FILE} is not JSON`);
    throw e;
  }
  if (info.version !== 1 || !Array.isArray(info.labels)) throw invalidModel(dir, `${CLASSIFIER_FILE} is not version 1 with a label list`);
  if (info.task !== 'text-classification') return { info };
  const featurizer = JSON.parse(await readModelFile(dir, FEATURIZER_FILE, 'utf8')) as FittedFeaturizer;
  return { info, featurizer };
}
