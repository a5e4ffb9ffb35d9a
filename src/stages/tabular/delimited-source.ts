import Papa from 'papaparse';
import { DvctsError } from '../../core/errors.js';
import { utf8LineBlocks } from './text-chunks.js';

/** A parsed physical record of a delimited file: its fields, its starting line, maybe its bytes. */
export interface ParsedRecord {
  readonly fields: string[];
  readonly line: number;
  /**
   * When the record's text had no quote at all (so no field holds a delimiter, quote or line
   * break): the block holding its bytes and where they are, line break included. Writers copy
   * these bytes instead of re-formatting the row, which is what makes filtering fast.
   */
  readonly raw: Buffer | undefined;
  readonly rawStart: number;
  readonly rawEnd: number;
}

export type Newline = '\n' | '\r' | '\r\n';

interface PapaError {
  readonly code: string;
  readonly message: string;
  readonly row?: number;
}

/**
 * Streams the records of a CSV/TSV file, one batch per block of lines, with papaparse's core
 * parser: each block is parsed and an unfinished last record (a quoted field spanning blocks) is
 * carried into the next one, as papaparse's own streamer does. Memory holds one block plus one
 * record. `line` is the physical line a record starts on; a blank line comes out as one empty
 * field (see isBlank). `onNewline` learns the file's line break before the first batch.
 */
export async function* delimitedBatches(path: string, delimiter: string, onNewline: (n: Newline) => void): AsyncGenerator<ParsedRecord[]> {
  let pending = '';
  let line = 1;
  let parser: Papa.Parser | undefined;
  let newline: Newline = '\n';

  function parse(text: string, isLast: boolean, rawBlock: Buffer | undefined): ParsedRecord[] {
    if (!parser) {
      newline = detectNewline(text);
      onNewline(newline);
      parser = new Papa.Parser({ delimiter, newline, quoteChar: '"' });
    }
    const result = parser.parse(text, 0, !isLast) as { data: string[][]; errors: PapaError[]; meta: { cursor: number } };
    const rows = result.data;
    const firstError = result.errors[0];
    if (firstError) throw quoteError(path, firstError, lineOfRow(rows, firstError.row ?? rows.length, line, newline));
    const quoted = text.includes('"'); // no quote: papaparse's fast path, exactly one line per record
    // Bytes map to records one line each only for a quote-free block parsed on its own.
    const raw = !quoted && newline !== '\r' ? rawBlock : undefined;
    const batch: ParsedRecord[] = new Array(rows.length);
    let rawStart = 0;
    for (let i = 0; i < rows.length; i++) {
      const fields = rows[i] as string[];
      const rawEnd = raw ? nextLineStart(raw, rawStart) : 0;
      batch[i] = { fields, line, raw, rawStart, rawEnd };
      rawStart = rawEnd;
      line += 1 + (quoted ? embeddedNewlines(fields, newline) : 0);
    }
    pending = isLast ? '' : text.slice(result.meta.cursor);
    return batch;
  }

  for await (const block of utf8LineBlocks(path)) {
    const batch = parse(pending + block.text, false, pending === '' ? block.bytes : undefined);
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) yield parse(pending, true, undefined);
}

function nextLineStart(bytes: Buffer, from: number): number {
  const lf = bytes.indexOf(0x0a, from);
  return lf === -1 ? bytes.length : lf + 1;
}

/** The line break used by the file: the first one found (papaparse needs it up front). */
function detectNewline(text: string): Newline {
  const lf = text.indexOf('\n');
  if (lf > 0 && text[lf - 1] === '\r') return '\r\n';
  if (lf === -1 && text.includes('\r')) return '\r';
  return '\n';
}

/** Line breaks inside quoted fields: they move the next row's starting line down. */
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

/** A blank line, or a lone empty field: only a one-column table can tell them apart, as a value. */
export function isBlank(fields: readonly string[]): boolean {
  return fields.length === 1 && fields[0] === '';
}
