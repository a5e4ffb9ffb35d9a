import { ByteRecord } from './parsed-record.js';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** Whether papaparse would take its no-quote fast path on this block: it has no quote at all. */
export function isQuoteFree(bytes: Buffer): boolean {
  return bytes.indexOf(QUOTE) === -1;
}

/**
 * Splits a quote-free block of whole lines into records at the byte level, the way papaparse
 * splits quote-free text (lines at the line break, fields at the delimiter), without decoding
 * it. Returns undefined when bytes and records would not line up one line each: a "\n" without
 * "\r" in a "\r\n" file is inside a field for papaparse, so such a block goes to papaparse.
 * `start` skips a byte-order mark; a last line without a break is a record too (end of file).
 */
export function splitQuoteFree(
  bytes: Buffer,
  start: number,
  delimiter: number,
  crlf: boolean,
  firstLine: number,
): ByteRecord[] | undefined {
  const records: ByteRecord[] = [];
  let bounds: Int32Array = new Int32Array(Math.max(64, bytes.length >> 4));
  let used = 0;
  // The next delimiter at or after the current line; reused across lines so that a file with
  // few delimiters is still searched once, not once per line.
  let delimiterAt = bytes.indexOf(delimiter, start);
  let line = firstLine;
  for (let at = start; at < bytes.length; line++) {
    const lf = bytes.indexOf(LF, at);
    const rawEnd = lf === -1 ? bytes.length : lf + 1;
    let textEnd = lf === -1 ? bytes.length : lf;
    if (crlf && lf !== -1) {
      if (bytes[lf - 1] !== CR) return undefined;
      textEnd = lf - 1;
    }
    const first = used;
    if (used + 2 > bounds.length) bounds = grown(bounds, used + 2);
    bounds[used++] = at;
    while (delimiterAt !== -1 && delimiterAt < textEnd) {
      if (used + 2 > bounds.length) bounds = grown(bounds, used + 2);
      bounds[used++] = delimiterAt + 1;
      delimiterAt = bytes.indexOf(delimiter, delimiterAt + 1);
    }
    bounds[used++] = textEnd + 1;
    records.push(new ByteRecord(line, bytes, at, rawEnd, bounds, first, used - first - 1));
    at = rawEnd;
  }
  return records;
}

/** Records keep pointing at the array they were built with, so growing copies into a new one. */
function grown(bounds: Int32Array, needed: number): Int32Array {
  const bigger = new Int32Array(Math.max(needed, bounds.length * 2));
  bigger.set(bounds);
  return bigger;
}
