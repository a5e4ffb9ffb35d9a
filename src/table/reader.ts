import { DvctsError } from '../core/errors.js';
import { assertInputIsFile } from './input-file.js';
import { delimitedBatches, type ParsedRecord } from './delimited-source.js';
import { delimiterOf, tableFormatOf, type TableFormat } from './format.js';
import { jsonlBatches, type ParsedJsonRecord } from './jsonl-source.js';
import { DelimitedRow, JsonRow, type RowSyntax, type TableRow } from './row.js';

export interface TableReader extends AsyncIterable<TableRow> {
  /** Header names (JSONL: keys of the first record, in order). Empty for an empty file. */
  readonly columns: readonly string[];
  readonly format: TableFormat;
  /** The line break of the file (delimited: the first one found; JSONL: "\n"). Pass it to createTable to keep it. */
  readonly newline: string;
  /**
   * The rows in batches (one per chunk read). Hot loops should use this: one await per batch
   * instead of one per row is what keeps a stage near papaparse's own speed.
   */
  batches(): AsyncIterable<readonly TableRow[]>;
}

/**
 * Opens a table for one streaming pass (iterate rows or batches, once). The header is read now,
 * so `columns` is known before iterating. Breaking out of the loop closes the file. A line or
 * record longer than `maxLineBytes` (default DEFAULT_MAX_LINE_BYTES) is E_LINE_TOO_LONG.
 */
export async function openTable(path: string, opts: { format?: TableFormat; maxLineBytes?: number } = {}): Promise<TableReader> {
  await assertInputIsFile(path);
  const format = tableFormatOf(path, opts.format);
  return format === 'jsonl' ? openJsonl(path, opts.maxLineBytes) : openDelimited(path, format, opts.maxLineBytes);
}

async function openDelimited(path: string, format: 'csv' | 'tsv', maxLineBytes: number | undefined): Promise<TableReader> {
  const syntax: RowSyntax = { delimiter: delimiterOf(format), newline: '\n' };
  const source = delimitedBatches(path, syntax.delimiter, (newline) => (syntax.newline = newline), maxLineBytes);
  let first: ParsedRecord[] = [];
  let header: ParsedRecord | undefined;
  while (!header) {
    const next = await source.next();
    if (next.done) break;
    first = next.value;
    while (first.length > 0 && !header) {
      const record = first.shift() as ParsedRecord;
      if (!record.isBlank) header = record; // blank lines before the header are skipped
    }
  }
  const columns = header?.fields ?? [];
  if (header) assertUniqueColumns(path, columns, header.line);
  // Blank lines are skipped, except in a one-column table, where they are empty values.
  const skipBlank = columns.length !== 1;
  let index = 0;
  const toRows = (records: readonly ParsedRecord[]): TableRow[] => {
    const rows: TableRow[] = [];
    for (const record of records) {
      if (skipBlank && record.isBlank) continue;
      rows.push(new DelimitedRow(index++, record, columns, syntax));
    }
    return rows;
  };
  return readerOf(columns, format, syntax, first, source, toRows);
}

async function openJsonl(path: string, maxLineBytes: number | undefined): Promise<TableReader> {
  const source = jsonlBatches(path, maxLineBytes);
  const next = await source.next();
  const first = next.done ? [] : next.value;
  const columns = first[0] ? Object.keys(first[0].record) : [];
  let index = 0;
  const toRows = (records: readonly ParsedJsonRecord[]): TableRow[] =>
    records.map(({ record, line }) => new JsonRow(index++, line, record));
  return readerOf(columns, 'jsonl', { delimiter: '', newline: '\n' }, first, source, toRows);
}

function readerOf<R>(
  columns: readonly string[],
  format: TableFormat,
  syntax: RowSyntax,
  first: readonly R[],
  rest: AsyncGenerator<R[]>,
  toRows: (records: readonly R[]) => TableRow[],
): TableReader {
  async function* batches(): AsyncGenerator<readonly TableRow[]> {
    try {
      if (first.length > 0) yield toRows(first);
      for await (const records of rest) yield toRows(records);
    } finally {
      await rest.return(undefined);
    }
  }
  return {
    columns,
    format,
    get newline() {
      return syntax.newline;
    },
    batches,
    async *[Symbol.asyncIterator]() {
      for await (const batch of batches()) yield* batch;
    },
  };
}

function assertUniqueColumns(path: string, columns: readonly string[], line: number): void {
  const seen = new Set<string>();
  for (const [i, name] of columns.entries()) {
    if (seen.has(name)) {
      throw new DvctsError('E_TABLE_DUPLICATE_COLUMN', `${path}:${line}: column "${name}" appears twice in the header`, {
        data: { file: path, line, column: i + 1, name },
        hint: 'give every column a distinct name',
      });
    }
    seen.add(name);
  }
}
/** Throws the stage-independent "unknown column" error, naming the columns that do exist. */
export function assertColumnsExist(path: string, columns: readonly string[], wanted: readonly string[], option: string): void {
  const missing = wanted.filter((c) => !columns.includes(c));
  if (missing.length === 0) return;
  throw new DvctsError(
    'E_TABLE_UNKNOWN_COLUMN',
    `${path}: ${option} names column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `"${c}"`).join(', ')} that the file does not have; it has ${columns.map((c) => `"${c}"`).join(', ') || 'no columns'}`,
    { data: { file: path, option, missing, available: [...columns] }, hint: `fix \`${option}\` in the stage's with:` },
  );
}
