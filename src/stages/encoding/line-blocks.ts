import { createReadStream } from 'node:fs';
import { lineTooLongError } from '../../table/line-limit.js';
import { DvctsError } from '../../core/errors.js';
import type { Family } from './charsets.js';

/** A run of whole lines (each with its line break, the last one maybe without) from a file. */
export interface LineBlock {
  readonly bytes: Buffer;
  /** 1-based line number of the block's first line. */
  readonly firstLine: number;
  /** Byte offset of the block in the file. */
  readonly byteOffset: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads `path` from `start` as blocks of complete lines, so a multi-byte character is never cut
 * (no legacy CJK encoding uses byte 0x0A inside a character). Memory: one chunk plus the longest
 * line, which is capped at `maxLineBytes`.
 */
export async function* lineBlocks(path: string, family: Family, start: number, maxLineBytes: number): AsyncGenerator<LineBlock> {
  const stream = createReadStream(path, { start, highWaterMark: CHUNK_BYTES });
  let carry: Buffer = Buffer.alloc(0);
  let line = 1;
  let offset = start;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const end = endOfLastLine(bytes, family);
      if (end === 0) {
        if (bytes.length > maxLineBytes) throw lineTooLong(path, line, offset, maxLineBytes);
        carry = bytes;
        continue;
      }
      const block = bytes.subarray(0, end);
      yield { bytes: block, firstLine: line, byteOffset: offset };
      line += countLines(block, family);
      offset += end;
      carry = Buffer.from(bytes.subarray(end)); // copy: do not pin the whole chunk
    }
    if (carry.length > 0) yield { bytes: carry, firstLine: line, byteOffset: offset };
  } finally {
    stream.destroy();
  }
}

/** Offsets just past each line break in `bytes`, for splitting a block into lines. */
export function lineEnds(bytes: Buffer, family: Family): number[] {
  const ends: number[] = [];
  let at = nextBreak(bytes, family, 0);
  while (at !== -1) {
    ends.push(at);
    at = nextBreak(bytes, family, at);
  }
  if (ends.length === 0 || ends[ends.length - 1] !== bytes.length) ends.push(bytes.length);
  return ends;
}

/** Number of line breaks in a block. */
export function countLines(bytes: Buffer, family: Family): number {
  let count = 0;
  let at = nextBreak(bytes, family, 0);
  while (at !== -1) {
    count++;
    at = nextBreak(bytes, family, at);
  }
  return count;
}

/** The offset just past the next line break at or after `from` (UTF-16: an aligned code unit). */
function nextBreak(bytes: Buffer, family: Family, from: number): number {
  if (family === 'utf16le' || family === 'utf16be') {
    const lowByte = family === 'utf16le' ? 0 : 1;
    let at = bytes.indexOf(0x0a, from + lowByte);
    while (at !== -1) {
      const unitStart = at - lowByte;
      if (unitStart % 2 === 0 && bytes[unitStart + 1 - lowByte] === 0 && unitStart + 1 < bytes.length) return unitStart + 2;
      at = bytes.indexOf(0x0a, at + 1);
    }
    return -1;
  }
  const at = bytes.indexOf(0x0a, from);
  return at === -1 ? -1 : at + 1;
}

function endOfLastLine(bytes: Buffer, family: Family): number {
  if (family === 'utf16le' || family === 'utf16be') {
    let last = 0;
    for (let at = nextBreak(bytes, family, 0); at !== -1; at = nextBreak(bytes, family, at)) last = at;
    return last;
  }
  const at = bytes.lastIndexOf(0x0a);
  return at + 1;
}

function lineTooLong(path: string, line: number, byteOffset: number, max: number): DvctsError {
  return lineTooLongError(path, line, byteOffset, max, 'check that `from:` is right (a wrong encoding can hide line breaks) or raise `max_line_bytes`');
}
