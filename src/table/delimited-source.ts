import Papa from 'papaparse';
import { DvctsError } from '../core/errors.js';
import { TextRecord, type ParsedRecord } from './parsed-record.js';
import { isQuoteFree, splitQuoteFree } from './quote-free.js';
import { DEFAULT_MAX_LINE_BYTES, lineTooLongError } from './line-limit.js';
import { utf8LineBlocks, type LineBlock } from './text-chunks.js';

export type { ParsedRecord } from './parsed-record.js';

export type Newline = '\n' | '\r' | '\r\n';

interface PapaError {
  readonly code: string;
  readonly message: string;
  readonly row?: number;
}

/**
 * Streams the records of a CSV/TSV file, one batch per block of lines. A block without any quote
 * is split at the byte level (papaparse's own no-quote rule: lines, then delimiters) and decoded
 * field by field only when a stage reads a field; any other block goes through papaparse's core
 * parser, and an unfinished last record (a quoted field spanning blocks) is carried into the next
 * block, as papaparse's own streamer does. Memory holds two blocks plus one record. `line` is the
 * physical line a record starts on; a blank line comes out as one empty field (see isBlank).
 * `onNewline` learns the file's line break before the first batch. A line or a record longer
 * than `maxLineBytes` is E_LINE_TOO_LONG.
 */
export async function* delimitedBatches(
  path: string,
  delimiter: string,
  onNewline: (n: Newline) => void,
  maxLineBytes = DEFAULT_MAX_LINE_BYTES,
): AsyncGenerator<ParsedRecord[]> {
  let pending = '';
  let line = 1;
  let parser: Papa.Parser | undefined;
  let newline: Newline | undefined;
  const delimiterByte = delimiter.charCodeAt(0);

  function parseText(text: string, isLast: boolean): ParsedRecord[] {
    parser ??= new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    const result = parser.parse(text, 0, !isLast) as { data: string[][]; errors: PapaError[]; meta: { cursor: number } };
    const rows = result.data;
    const firstError = result.errors[0];
    if (firstError) throw quoteError(path, firstError, lineOfRow(rows, firstError.row ?? rows.length, line, newline as Newline));
    // A quoted field can span many short lines: the record, not just the line, is bounded. Only
    // text longer than the bound can hold such a record (lengths in UTF-16 units are <= bytes).
    const bounded = text.length > maxLineBytes;
    const batch: ParsedRecord[] = new Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const fields = rows[i] as string[];
      if (bounded && recordLength(fields) > maxLineBytes) throw lineTooLongError(path, line, undefined, maxLineBytes);
      batch[i] = new TextRecord(fields, line);
      line += 1 + embeddedNewlines(fields, newline as Newline);
    }
    pending = isLast ? '' : text.slice(result.meta.cursor);
    if (pending.length > maxLineBytes) throw lineTooLongError(path, line, undefined, maxLineBytes);
    return batch;
  }

  /** The byte-level path, when the block starts a record and papaparse would not see a quote. */
  function splitBytes(block: LineBlock): ParsedRecord[] | undefined {
    if (pending !== '' || newline === '\r' || !isQuoteFree(block.bytes)) return undefined;
    const records = splitQuoteFree(block.bytes, block.bomLength, delimiterByte, newline === '\r\n', line);
    if (records) line += records.length;
    return records;
  }

  for await (const block of utf8LineBlocks(path, maxLineBytes)) {
    if (newline === undefined) {
      newline = detectNewline(block.bytes);
      onNewline(newline);
    }
    const batch = splitBytes(block) ?? parseText(pending + block.text, false);
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) yield parseText(pending, true);
}

function recordLength(fields: readonly string[]): number {
  let length = fields.length - 1;
  for (const field of fields) length += field.length;
  return length;
}

/** The line break used by the file: the first one found (papaparse needs it up front). */
function detectNewline(bytes: Buffer): Newline {
  const lf = bytes.indexOf(0x0a);
  if (lf > 0 && bytes[lf - 1] === 0x0d) return '\r\n';
  if (lf === -1 && bytes.includes(0x0d)) return '\r';
  return '\n';
}

/** Line breaks inside fields (quoted, or a lone "\n" in a "\r\n" file): they move the next row's starting line down. */
function embeddedNewlines(fields: readonly string[], newline: string): number {
  const mark = newline === '\r' ? '\r' : '\n';
  let count = 0;
  for (const field of fields) {
    let at = field.indexOf(mark);
    while (at !== -1) {
      count++;
      at = field.indexOf(mark, at + 1);
    }
  }
  return count;
}

function lineOfRow(rows: readonly string[][], rowIndex: number, firstLine: number, newline: string): number {
  let line = firstLine;
  for (let i = 0; i < rowIndex && i < rows.length; i++) line += 1 + embeddedNewlines(rows[i] as string[], newline);
  return line;
}

function quoteError(path: string, error: PapaError, line: number): DvctsError {
  const unterminated = error.code === 'MissingQuotes';
  return new DvctsError(
    unterminated ? 'E_TABLE_UNTERMINATED_QUOTE' : 'E_TABLE_MALFORMED_QUOTE',
    `${path}:${line}: ${unterminated ? 'a quoted field is never closed' : 'a quoted field is malformed'} (${error.message})`,
    {
      data: { file: path, line },
      hint: 'inside a quoted field, write a double quote as "" and close the field with a single "',
    },
  );
}
