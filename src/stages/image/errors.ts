import { defineErrors, type CodesOf } from '../../core/error-catalogue.js';
import { DvctsError } from '../../core/errors.js';
import type { BadItem } from './sources.js';

export const IMAGE_ERRORS = defineErrors('uses: image', {
  E_IMAGE_INPUT_UNREADABLE: {
    meaning: 'input files sharp cannot read (truncated, empty, not an image, no label folder) or bad manifest rows, with on_error: fail; each is listed with the reason',
    hint: 'fix or remove those files, or set `on_error: skip` to leave them out (they are then listed in the log and report)',
    data: { count: 'number', total: 'number', files: 'json' },
  },
  E_IMAGE_NO_INPUT: { meaning: 'no readable image to process', hint: 'put images in <label>/ folders under the input folder (cat/001.jpg), or give a manifest with rows', data: { input: 'string', skipped: 'number' } },
  E_IMAGE_INPUT_KIND: { meaning: 'a file where the stage reads a folder, or a folder where it reads a manifest', hint: 'a folder of <label>/<file> images as the dep, or `images:` plus a manifest dep', data: { path: 'string' } },
  E_IMAGE_PREPROCESS_INVALID: { meaning: 'the preprocess.json of the manifest\'s image folder is not valid', hint: 'rerun the image stage that writes that folder, or delete the file', data: { path: 'string' } },
  E_IMAGE_ARITY: { meaning: 'an image stage needs one dep (a folder) or two (a manifest and `images:`), and one out', hint: 'use one stage per folder' },
  E_IMAGE_NO_OUTPUT: { meaning: '`copies: 0` with `keep_original: false` would write no image', hint: 'set copies >= 1 or keep_original: true' },
  E_IMAGE_NO_RANDOM_OP: { meaning: '`copies` without a random op: every copy would equal the original', hint: 'add jitter, flip, rotate or a random crop to `ops`, or set copies: 0' },
  E_IMAGE_RANGE: { meaning: 'a [lo, hi] range whose first number exceeds the second', hint: 'swap the two numbers' },
});

declare module '../../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof IMAGE_ERRORS> {}
}

/** Files listed one per line in the message (all of them are in `data.files`). */
const LISTED = 20;

export function unreadableImagesError(bad: readonly BadItem[], total: number): DvctsError {
  const lines = bad.slice(0, LISTED).map((b) => `  ${b.path}: ${b.reason}`);
  if (bad.length > LISTED) lines.push(`  ... and ${bad.length - LISTED} more (all in the error's data)`);
  return new DvctsError('E_IMAGE_INPUT_UNREADABLE', `${bad.length} of ${total} input file(s) could not be processed:\n${lines.join('\n')}`, {
    data: { count: bad.length, total, files: bad.map((b) => ({ path: b.path, reason: b.reason })) },
  });
}

export function noImagesError(input: string, skipped: number): DvctsError {
  return new DvctsError('E_IMAGE_NO_INPUT', `no image to process in ${input}${skipped > 0 ? ` (${skipped} file(s) skipped as unreadable)` : ''}`, {
    data: { input, skipped },
  });
}

export function preprocessInvalidError(path: string, reason: string): DvctsError {
  return new DvctsError('E_IMAGE_PREPROCESS_INVALID', `${path} is not a valid preprocess.json: ${reason}`, { data: { path } });
}
