import type { OptionSchema } from '../../core/builtin.js';
import { BACKENDS, type BackendChoice } from '../backend/names.js';
import type { OptimizerName } from '../model/optimizer.js';

/** `with:` of a `uses: train` stage (defaults applied). */
export interface TrainOptions {
  readonly task: 'text-classification' | 'image-classification';
  readonly data?: string;
  readonly train?: string;
  readonly val?: string;
  readonly label_column: string;
  readonly text_column: string;
  readonly path_column: string;
  readonly images?: string;
  readonly train_images?: string;
  readonly width?: number;
  readonly height?: number;
  readonly char_ngrams: readonly number[];
  readonly word_ngrams: readonly number[];
  readonly vocabulary: 'train' | 'hashed';
  readonly max_features: number;
  readonly min_df: number;
  readonly hash_dim: number;
  readonly weighting: 'tfidf' | 'count' | 'binary';
  readonly model?: 'linear' | 'mlp' | 'cnn';
  readonly hidden?: readonly number[];
  readonly conv_filters: readonly number[];
  readonly dropout: number;
  readonly l2: number;
  readonly epochs: number;
  readonly batch_size: number;
  readonly optimizer: OptimizerName;
  readonly lr: number;
  readonly momentum: number;
  readonly lr_schedule: 'constant' | 'step' | 'exponential' | 'cosine';
  readonly lr_decay: number;
  readonly lr_step: number;
  readonly early_stopping?: { readonly patience: number; readonly min_delta: number };
  readonly seed: number;
  readonly backend: BackendChoice;
  readonly machine_facts: boolean;
}

export const TEXT_ONLY = ['text_column', 'char_ngrams', 'word_ngrams', 'vocabulary', 'max_features', 'min_df', 'hash_dim', 'weighting'] as const;
export const IMAGE_ONLY = ['path_column', 'images', 'train_images', 'width', 'height', 'conv_filters'] as const;

const ngrams = (what: string, dflt: number[]): OptionSchema => ({
  type: 'array',
  items: { type: 'integer', minimum: 1, maximum: 8 },
  default: dflt,
  description: `text: [min, max] lengths of ${what} n-grams; [] for none.`,
});
const path = (description: string): OptionSchema => ({ type: 'string', description });
const units = (description: string): OptionSchema => ({ type: 'array', items: { type: 'integer', minimum: 1 }, description });

export const trainOptionSchema: OptionSchema = {
  type: 'object',
  required: ['task'],
  properties: {
    task: { type: 'string', enum: ['text-classification', 'image-classification'], description: 'What to learn: a class from a text column, or from an image.' },
    data: path('Folder holding the splits (`train.csv`, `val.csv`, ... or .tsv/.jsonl), relative to wdir. Default: the first dep.'),
    train: path('Train table (CSV/TSV/JSONL). Default: `<data>/train.<ext>`. Give e.g. an augmented copy of the train split.'),
    val: path('Validation table. Default: `<data>/val.<ext>` when it exists. Drives early stopping.'),
    label_column: { type: 'string', default: 'label', description: 'Column holding the class.' },
    text_column: { type: 'string', default: 'text', description: 'text: column holding the text.' },
    path_column: { type: 'string', default: 'path', description: 'image: column holding the image path, relative to `images`.' },
    images: path('image: folder of an `image` stage output (images + preprocess.json); the paths of every split are relative to it.'),
    train_images: path('image: folder of an `image` stage whose manifest.csv replaces the train split (augmented train images).'),
    width: { type: 'integer', minimum: 1, description: 'image: width to resize to when preprocess.json does not fix one.' },
    height: { type: 'integer', minimum: 1, description: 'image: height to resize to when preprocess.json does not fix one.' },
    char_ngrams: ngrams('character', [1, 2]),
    word_ngrams: ngrams('word', [1, 1]),
    vocabulary: {
      type: 'string',
      enum: ['train', 'hashed'],
      default: 'train',
      description: 'text: `train` = the most frequent terms of the TRAIN split only (max_features, min_df); `hashed` = hash_dim buckets, no vocabulary.',
    },
    max_features: { type: 'integer', minimum: 1, default: 20000, description: 'text, vocabulary train: most terms kept.' },
    min_df: { type: 'integer', minimum: 1, default: 1, description: 'text, vocabulary train: a term must occur in at least this many train texts.' },
    hash_dim: { type: 'integer', minimum: 1, default: 4096, description: 'text, vocabulary hashed: number of hash buckets.' },
    weighting: { type: 'string', enum: ['tfidf', 'count', 'binary'], default: 'tfidf', description: 'text: term weights (idf from the train split), then each vector is L2-normalised.' },
    model: { type: 'string', enum: ['linear', 'mlp', 'cnn'], description: 'text: `linear` (default) or `mlp`; image: `cnn` (default).' },
    hidden: units('Units of the hidden dense layers: mlp (default [64]) and cnn (default []).'),
    conv_filters: { type: 'array', items: { type: 'integer', minimum: 1 }, default: [8, 16], description: 'image: filters of each 3×3 convolution + 2×2 max pooling block.' },
    dropout: { type: 'number', minimum: 0, maximum: 0.95, default: 0, description: 'Dropout rate before each dense layer.' },
    l2: { type: 'number', minimum: 0, default: 0, description: 'L2 weight decay: l2 × Σ kernel² added to the training loss.' },
    epochs: { type: 'integer', minimum: 1, default: 10, description: 'Most epochs to train.' },
    batch_size: { type: 'integer', minimum: 1, default: 32, description: 'Rows per gradient step.' },
    optimizer: { type: 'string', enum: ['adam', 'sgd', 'momentum'], default: 'adam', description: 'Optimizer.' },
    lr: { type: 'number', exclusiveMinimum: 0, default: 0.001, description: 'Learning rate (of the first epoch, with a schedule).' },
    momentum: { type: 'number', minimum: 0, maximum: 1, default: 0.9, description: 'optimizer momentum: the momentum.' },
    lr_schedule: {
      type: 'string',
      enum: ['constant', 'step', 'exponential', 'cosine'],
      default: 'constant',
      description: '`step`: × lr_decay every lr_step epochs; `exponential`: × lr_decay every epoch; `cosine`: from lr to 0 over the epochs.',
    },
    lr_decay: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5, description: 'Factor of the step and exponential schedules.' },
    lr_step: { type: 'integer', minimum: 1, default: 10, description: 'Epochs between two steps of the step schedule.' },
    early_stopping: {
      type: 'object',
      properties: {
        patience: { type: 'integer', minimum: 1, default: 3, description: 'Epochs without improvement of val loss before stopping.' },
        min_delta: { type: 'number', minimum: 0, default: 0, description: 'Smallest decrease of val loss that counts as an improvement.' },
      },
      description: 'Stop when val loss stops improving and keep the weights of the best epoch. Needs a val split.',
    },
    seed: { type: 'integer', default: 0, description: 'Seeds the initial weights, the order of rows and dropout: same seed + backend = same model bytes.' },
    backend: {
      type: 'string',
      enum: ['auto', ...BACKENDS],
      default: 'auto',
      description: '`auto` tries tfjs-node-gpu (CUDA), webgpu (hardware adapters only), tfjs-node, wasm, cpu; a named one is used or the stage fails.',
    },
    machine_facts: {
      type: 'boolean',
      default: true,
      description:
        'Report what varies between machines and runs: seconds per epoch, the device, why faster backends were skipped. ' +
        'false leaves them out (they stay in the log), so the report is byte-identical for the same data, params, seed and backend.',
    },
  },
};
