import { createReadStream } from 'node:fs';
import { DvctsError } from '../core/errors.js';

/**
 * The longest line (or CSV record) a text built-in accepts: reading keeps one line in memory, so
 * this bounds memory whatever the file holds (a file without line breaks, a wrong encoding that
 * hides them, a quote that is never closed). Stages expose it as the `max_line_bytes` option.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

/** E_LINE_TOO_LONG at `file:line` (1-based) for the line (or record) that starts there, at `byteOffset` when known. */
export function lineTooLongError(file: string, line: number, byteOffset: number | undefined, max: number, hint?: string): DvctsError {
  const at = byteOffset === undefined ? '' : ` (it starts at byte ${byteOffset})`;
  return new DvctsError('E_LINE_TOO_LONG', `${file}:${line}: a line or record is longer than ${max} bytes${at}`, {
    data: { file, line, max, ...(byteOffset === undefined ? {} : { byteOffset }) },
    hint: hint ?? 'check the file (a quote that is never closed, or no line breaks at all), or raise `max_line_bytes`',
  });
}

/** The 1-based number of the line that starts at `byteOffset`: counted again from the start, on the error path only. */
export async function lineNumberAt(file: string, byteOffset: number): Promise<number> {
  let line = 1;
  if (byteOffset === 0) return line;
  for await (const chunk of createReadStream(file, { start: 0, end: byteOffset - 1 }) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(0x0a); at !== -1; at = chunk.indexOf(0x0a, at + 1)) line++;
  }
  return line;
}
