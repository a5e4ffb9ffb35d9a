import { defineErrors, type CodesOf } from '../../core/error-catalogue.js';

export const DROPNA_ERRORS = defineErrors('uses: dropna', {
  E_DROPNA_ARITY: { meaning: 'a dropna stage does not have exactly one dep and one out', hint: 'use one stage per table' },
  E_DROPNA_RAGGED: {
    meaning: 'rows have more or fewer fields than the header and on_ragged is fail (lines listed up to max_listed, all counted)',
    hint: 'fix those lines, or set on_ragged: drop',
    data: { file: 'string', line: 'number?', lines: 'number[]', count: 'number', expected: 'number' },
  },
});

declare module '../../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof DROPNA_ERRORS> {}
}
