import { defineErrors, type CodesOf } from '../../core/error-catalogue.js';

export const SPLIT_ERRORS = defineErrors('uses: split', {
  E_SPLIT_ARITY: { meaning: 'a split stage does not have exactly one dep (the table) and one out (the folder)', hint: 'use one stage per table' },
  E_SPLIT_RATIOS_EMPTY: { meaning: '`ratios` names no split', hint: 'e.g. ratios: { train: 0.8, test: 0.2 }' },
  E_SPLIT_RATIOS_SUM: { meaning: 'the `ratios` do not sum to 1', hint: 'adjust the shares so that they add up to 1' },
  E_SPLIT_TOO_MANY: { meaning: 'more than 255 splits', hint: 'use at most 255 split names' },
  E_SPLIT_NAME: { meaning: 'a split name cannot be a file name', hint: 'use letters, digits, "_" and "-"' },
  E_SPLIT_EMPTY: { meaning: 'the table has no data rows', hint: 'check the stage that produces it', data: { file: 'string', line: 'number' } },
  E_SPLIT_RAGGED: {
    meaning: 'rows have more or fewer fields than the header',
    hint: 'fix those lines (the dropna stage can drop them)',
    data: { file: 'string', line: 'number?', lines: 'number[]', count: 'number', expected: 'number' },
  },
});

declare module '../../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof SPLIT_ERRORS> {}
}
