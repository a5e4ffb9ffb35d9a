import { createAtomicFile } from './atomic-file.js';
import { StagedOutput } from './byte-buffer.js';
import { delimiterOf, tableFormatOf, type TableFormat } from './format.js';
import { DelimitedRow, type TableRow } from './row.js';

export interface TableWriter {
  /** Writes a row given as column → value (delimited: in header order; absent = empty). */
  write(record: Readonly<Record<string, unknown>>): Promise<void>;
  /** Writes a delimited row's fields as they are (keeps ragged rows ragged). */
  writeFields(fields: readonly string[]): Promise<void>;
  /**
   * Writes a row as it was read. A delimited row whose text needed no quotes is copied byte for
   * byte when this table has its delimiter and line break (the fast path); otherwise its fields
   * are formatted. A JSONL row writes its record.
   */
  writeRow(row: TableRow): Promise<void>;
  /** `writeRow` for each row, waiting (for the disk) at most once: the hot path of filters. */
  writeRows(rows: readonly TableRow[]): Promise<void>;
  /** Flushes and renames the temp file onto the final path. */
  commit(): Promise<void>;
  /** Removes the temp file; the final path is untouched. */
  abort(): Promise<void>;
}

const READY: Promise<void> = Promise.resolve();

/**
 * Creates a table atomically (temp file + rename). Delimited output is RFC 4180: a field is
 * quoted when it holds the delimiter, a quote, a line break or leading/trailing spaces (as
 * papaparse's unparse does), so every value round-trips through papaparse unchanged.
 * Rows are staged in memory and written in 1 MiB blocks; a write waits only when the disk is
 * behind (backpressure), so the per-row methods usually return an already-settled promise.
 */
export async function createTable(
  path: string,
  columns: readonly string[],
  opts: { format?: TableFormat; newline?: string } = {},
): Promise<TableWriter> {
  const format = tableFormatOf(path, opts.format);
  const newline = opts.newline ?? '\n';
  const file = await createAtomicFile(path);
  const out = new StagedOutput(file);
  const settle = (): Promise<void> => (out.full ? out.flush() : READY);
  const text = (line: string): Promise<void> => {
    out.text(line);
    return settle();
  };
  const finish = {
    commit: async () => {
      await out.flush();
      await file.commit();
    },
    abort: () => file.abort(),
  };

  if (format === 'jsonl') {
    const jsonLine = (row: TableRow): string => `${JSON.stringify(row.fields ? recordOf(columns, row.fields) : row.record)}${newline}`;
    return {
      write: (record) => text(`${JSON.stringify(record)}${newline}`),
      writeFields: (fields) => text(`${JSON.stringify(recordOf(columns, fields))}${newline}`),
      writeRow: (row) => text(jsonLine(row)),
      async writeRows(rows) {
        for (const row of rows) await text(jsonLine(row));
      },
      ...finish,
    };
  }

  const delimiter = delimiterOf(format);
  const needsQuotes = needsQuotesPattern(delimiter);
  const line = (fields: readonly string[]): Promise<void> => text(formatRow(fields, delimiter, needsQuotes) + newline);
  if (columns.length > 0) await line(columns);
  /** Stages a row without waiting: its bytes as read when they can be copied, else its fields formatted. */
  const stageRow = (row: TableRow): void => {
    if (row instanceof DelimitedRow && row.syntax.delimiter === delimiter && row.syntax.newline === newline) {
      const raw = row.raw;
      if (raw && !row.isBlank && endsWithBreak(raw.bytes, raw.end)) {
        out.copy(raw.bytes, raw.start, raw.end);
        return;
      }
    }
    out.text(formatRow(row.fields ?? columns.map((c) => fieldText(row.record[c])), delimiter, needsQuotes) + newline);
  };
  return {
    write: (record) => line(columns.map((c) => fieldText(record[c]))),
    writeFields: line,
    writeRow(row) {
      stageRow(row);
      return settle();
    },
    async writeRows(rows) {
      for (const row of rows) {
        stageRow(row);
        if (out.full) await out.flush();
      }
    },
    ...finish,
  };
}

/** The last line of a file may lack its break; such a row is formatted instead of copied. */
function endsWithBreak(bytes: Buffer, end: number): boolean {
  return end > 0 && bytes[end - 1] === 0x0a;
}

/** A field needs quotes when it holds the delimiter, a quote or a line break, or starts/ends with a space. */
function needsQuotesPattern(delimiter: string): RegExp {
  return new RegExp(`[${delimiter === '\t' ? '\\t' : delimiter}"\\r\\n]|^ | $`);
}

export function formatRow(fields: readonly string[], delimiter: string, needsQuotes = needsQuotesPattern(delimiter)): string {
  // A lone empty field would be a blank line, which readers skip: quote it so the row survives.
  if (fields.length === 1 && fields[0] === '') return '""';
  let out = '';
  for (let i = 0; i < fields.length; i++) {
    const field = fields[i] as string;
    if (i > 0) out += delimiter;
    out += needsQuotes.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  }
  return out;
}

/** A value as one delimited field: null/undefined are empty, objects become JSON. */
export function fieldText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function recordOf(columns: readonly string[], fields: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  columns.forEach((c, i) => {
    if (i < fields.length) record[c] = fields[i] as string;
  });
  return record;
}
