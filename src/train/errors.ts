import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Problems of the `train` and `evaluate` built-ins and of the TensorFlow.js layer under them. */
export const TRAIN_ERRORS = defineErrors('train', {
  E_BACKEND_UNAVAILABLE: {
    meaning: 'the tfjs backend a stage forces (`backend: NAME`) cannot run on this machine; the reason says why',
    hint: '`dvcts doctor` lists the backends that work here; `backend: auto` picks the best of them',
    data: { backend: 'string', reason: 'string' },
  },
  E_TRAIN_INPUT_MISSING: { meaning: 'a split the stage needs was not found where it looked', hint: 'give `data:` (a folder of splits) or the table options, and list them in deps', data: { what: 'string', path: 'string' } },
  E_TRAIN_VALUE_MISSING: { meaning: 'a row has an empty label (or image path)', hint: 'drop such rows first (a `dropna` stage) or fill them in', data: { file: 'string', line: 'number', column: 'string' } },
  E_TRAIN_EMPTY: { meaning: 'the train split has no rows', hint: 'check the stage that produces it', data: { file: 'string' } },
  E_TRAIN_ONE_CLASS: { meaning: 'the train split has a single class: there is nothing to learn', hint: 'check label_column, and that the split is stratified', data: { file: 'string', classes: 'string[]' } },
  E_TRAIN_NO_VAL: { meaning: '`early_stopping` without a val split', hint: 'add val.csv to the data folder, give `val:`, or remove early_stopping' },
  E_EVALUATE_IMAGES_MISSING: { meaning: 'evaluating an image model without `images:`', hint: 'give `images:` (the folder the split\'s paths are relative to) and list it in deps', data: { model: 'string' } },
  E_MODEL_INVALID: { meaning: 'the folder evaluate reads is not a model folder written by `train`', hint: 'point `model:` at the first out of a train stage', data: { dir: 'string', why: 'string' } },
  E_PREPROCESS_INVALID: { meaning: 'an image folder\'s preprocess.json is missing or not what the image stage writes', hint: 'regenerate it with the `image` stage', data: { file: 'string', why: 'string' } },
  E_PREPROCESS_MISMATCH: { meaning: '`train_images` and `images` were preprocessed differently (channels, size or scaling)', hint: 'give both image stages the same normalize options', data: { folder: 'string', differs: 'string[]' } },
  E_IMAGE_SIZE_UNKNOWN: { meaning: 'preprocess.json fixes no image size and the stage gives none', hint: 'give the train stage `width:` and `height:`', data: { file: 'string' } },
  E_IMAGE_PATH_INVALID: { meaning: 'a manifest names an image outside its folder (absolute, or with `..`); nothing was read', hint: 'manifests of the `image` stage hold paths relative to its output folder', data: { file: 'string', line: 'number', path: 'string' } },
  E_IMAGE_UNREADABLE: { meaning: 'an image listed in a manifest is missing or cannot be decoded', hint: 'rerun the image stage, or replace the broken image', data: { file: 'string', line: 'number', path: 'string' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof TRAIN_ERRORS> {}
}
