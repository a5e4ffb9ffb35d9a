import { extname } from 'node:path';
import { DvctsError } from '../core/errors.js';

/** The table formats every tabular built-in reads and writes. */
export type TableFormat = 'csv' | 'tsv' | 'jsonl';

export const TABLE_FORMATS: readonly TableFormat[] = ['csv', 'tsv', 'jsonl'];

const BY_EXTENSION: Readonly<Record<string, TableFormat>> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
};

/** The format of `path` from its extension, unless the stage's options override it. */
export function tableFormatOf(path: string, override?: TableFormat): TableFormat {
  const format = override ?? formatByExtension(path);
  if (!format) {
    throw new DvctsError('E_TABLE_FORMAT_UNKNOWN', `${path}: cannot tell the table format from the extension`, {
      data: { file: path },
      hint: 'name the file .csv, .tsv, .jsonl or .ndjson, or set `format:` in the stage options',
    });
  }
  return format;
}

/** The format the extension of `path` names, if any. */
export function formatByExtension(path: string): TableFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}

/** The file extension (with dot) that a format is written with. */
export function extensionOf(format: TableFormat): string {
  return `.${format}`;
}

/** Field delimiter of a delimited format. */
export function delimiterOf(format: Exclude<TableFormat, 'jsonl'>): string {
  return format === 'tsv' ? '\t' : ',';
}
