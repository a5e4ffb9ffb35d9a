import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Problems with lock files and the params they record. */
export const LOCKFILE_ERRORS = defineErrors('lockfile', {
  E_LOCK_INVALID: {
    meaning: 'a lock file is not what dvcts writes',
    hint: 'restore it from git (git checkout -- FILE), or delete it to rerun every stage of that pipeline',
    data: { path: 'string', file: 'string?', line: 'number?', col: 'number?', reason: 'string?' },
  },
  E_PARAM_MISSING: {
    meaning: 'a tracked param is not in its params file',
    hint: 'add the key to the params file, or remove it from the stage\'s params',
    data: { file: 'string', key: 'string', range: 'range?' },
  },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof LOCKFILE_ERRORS> {}
}
