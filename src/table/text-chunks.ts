import { open, type FileHandle } from 'node:fs/promises';
import { DEFAULT_MAX_LINE_BYTES, lineNumberAt, lineTooLongError } from './line-limit.js';

/** Bigger chunks mean fewer parser calls; 1 MiB keeps memory small and constant. */
const CHUNK_BYTES = 1 << 20;
const UTF8_BOM = [0xef, 0xbb, 0xbf] as const;

/**
 * Whole lines of a UTF-8 file: the bytes (each line with its break; the last maybe without).
 * The text is decoded only when asked for: UTF-8 decoding of CJK text runs at ~250 MB/s, the
 * slowest step of a filter that looks at a few columns, so byte-level readers skip it.
 */
export class LineBlock {
  private decoded: string | undefined;

  /** `bomLength`: 3 when the block starts the file with a UTF-8 byte-order mark (not part of the text). */
  constructor(
    readonly bytes: Buffer,
    readonly bomLength: number,
  ) {}

  get text(): string {
    // Buffer#toString was 4x faster than StringDecoder on Chinese text; a block never cuts a character.
    this.decoded ??= this.bytes.toString('utf8', this.bomLength);
    return this.decoded;
  }
}

/**
 * A UTF-8 file as blocks of whole lines. Cutting at a line break never splits a character.
 * Each block gets a fresh buffer (rows may keep pointing into it after the next block is read),
 * the unfinished last line is copied to the front of the next buffer instead of concatenating
 * whole chunks, and the next read is already in flight while the caller works on a block.
 * Memory: two chunks plus the longest line. Tabular stages read UTF-8: the `encoding` stage
 * converts anything else first. A line longer than `maxLineBytes` is E_LINE_TOO_LONG.
 */
export async function* utf8LineBlocks(path: string, maxLineBytes = DEFAULT_MAX_LINE_BYTES): AsyncGenerator<LineBlock> {
  // Until the caller comes back for a second block, each read opens and closes the file: a
  // reader opened for its header and then abandoned (a bad option) must hold no descriptor.
  let handle: FileHandle | undefined;
  let next = readAt(handle, path, 0, Buffer.alloc(0));
  try {
    let first = true;
    for (;;) {
      const { bytes, eof, endPosition } = await next;
      const end = eof ? bytes.length : bytes.lastIndexOf(0x0a) + 1;
      const carry = bytes.subarray(end);
      // Only a block longer than the bound can hold a line that is: with the default bound, never.
      const long = carry.length > maxLineBytes ? end : end > maxLineBytes ? longLineAt(bytes.subarray(0, end), maxLineBytes) : undefined;
      if (long !== undefined) {
        const start = endPosition - bytes.length + long;
        throw lineTooLongError(path, await lineNumberAt(path, start), start, maxLineBytes);
      }
      if (!eof) next = readAt(handle, path, endPosition, carry);
      if (end > 0) {
        yield new LineBlock(bytes.subarray(0, end), first && startsWithBom(bytes) ? UTF8_BOM.length : 0);
        first = false;
      }
      if (eof) return;
      handle ??= await open(path, 'r');
    }
  } finally {
    await next.catch(() => undefined); // a caller that stops early leaves one read in flight
    await handle?.close();
  }
}

interface Chunk {
  readonly bytes: Buffer;
  readonly eof: boolean;
  /** File offset just past the bytes read. */
  readonly endPosition: number;
}

/** Reads the chunk at `position` into a new buffer that starts with `carry` (the unfinished line). */
async function readAt(handle: FileHandle | undefined, path: string, position: number, carry: Buffer): Promise<Chunk> {
  const buffer = Buffer.allocUnsafe(carry.length + CHUNK_BYTES);
  carry.copy(buffer, 0);
  const file = handle ?? (await open(path, 'r'));
  try {
    const { bytesRead } = await file.read(buffer, carry.length, CHUNK_BYTES, position);
    return { bytes: buffer.subarray(0, carry.length + bytesRead), eof: bytesRead === 0, endPosition: position + bytesRead };
  } finally {
    if (file !== handle) await file.close();
  }
}

/** Offset of the first line of `block` (whole lines) longer than `max` bytes, its break not counted. */
function longLineAt(block: Buffer, max: number): number | undefined {
  for (let start = 0; start < block.length; ) {
    const lf = block.indexOf(0x0a, start);
    const end = lf === -1 ? block.length : lf;
    if (end - start > max) return start;
    start = end + 1;
  }
  return undefined;
}

function startsWithBom(bytes: Buffer): boolean {
  return bytes[0] === UTF8_BOM[0] && bytes[1] === UTF8_BOM[1] && bytes[2] === UTF8_BOM[2];
}
