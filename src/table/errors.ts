import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Problems with the tables built-ins read, and with their deps/outs. */
export const TABLE_ERRORS = defineErrors('table', {
  E_TABLE_FORMAT_UNKNOWN: { meaning: 'the table format cannot be told from the file extension', hint: 'name it .csv, .tsv, .jsonl or .ndjson, or set `format:`', data: { file: 'string' } },
  E_TABLE_UNTERMINATED_QUOTE: { meaning: 'a quoted CSV/TSV field is never closed', hint: 'close the quote (a quote inside a quoted field is written "")', data: { file: 'string', line: 'number' } },
  E_TABLE_MALFORMED_QUOTE: { meaning: 'a quoted CSV/TSV field is malformed', hint: 'quote the whole field; a quote inside it is written ""', data: { file: 'string', line: 'number' } },
  E_TABLE_JSON_INVALID: { meaning: 'a JSON Lines row is not valid JSON', hint: 'each line must be one complete JSON object', data: { file: 'string', line: 'number', byteOffset: 'number' } },
  E_TABLE_JSONL_NOT_OBJECT: { meaning: 'a JSON Lines row is not an object', hint: 'write each row as {"column": value, ...}', data: { file: 'string', line: 'number', byteOffset: 'number' } },
  E_TABLE_DUPLICATE_COLUMN: { meaning: 'a column name appears twice in the header', hint: 'give every column a distinct name', data: { file: 'string', line: 'number', column: 'number', name: 'string' } },
  E_TABLE_UNKNOWN_COLUMN: {
    meaning: 'an option names a column the table does not have',
    hint: 'fix the option; `data.available` lists the columns there are',
    data: { file: 'string', option: 'string', missing: 'string[]', available: 'string[]' },
  },
  E_TABLE_RAGGED_ROW: {
    meaning: 'rows have more or fewer fields than the header (every such line is counted, the first ones listed)',
    hint: 'fix the quoting of those rows, or drop them with the dropna stage',
    data: { file: 'string', line: 'number?', lines: 'number[]', count: 'number', expected: 'number' },
  },
  E_INPUT_IS_DIRECTORY: {
    meaning: 'a stage that reads one file was given a directory (such as a `split` output) as its input',
    hint: 'give one of its files as the dep; `data.files` lists the first ones',
    data: { file: 'string', files: 'string[]', count: 'number' },
  },
  E_LINE_TOO_LONG: {
    meaning: 'a line, or a quoted record spanning lines, is longer than `max_line_bytes` (reading keeps one line in memory)',
    hint: 'check the file (a quote never closed, no line breaks, a wrong `from:` charset), or raise `max_line_bytes`',
    data: { file: 'string', line: 'number', max: 'number', byteOffset: 'number?' },
  },
  E_STAGE_FILES: { meaning: 'a table built-in lacks its input table in `deps` or its output in `outs`', hint: 'list the input table in `deps` and the output in `outs`', data: { deps: 'string[]?', outs: 'string[]?' } },
  E_OPTION_FILE_NOT_DEP: { meaning: 'a file or folder an option names (dictionary, stop words, splits, images, model) is not among the stage\'s deps', hint: 'add it to `deps`, so that editing it reruns the stage' },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof TABLE_ERRORS> {}
}
