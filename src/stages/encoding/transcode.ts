import iconv from 'iconv-lite';
import type { Charset } from './charsets.js';
import { DoubleByteTable } from './double-byte-table.js';
import { countLines, lineEnds, type LineBlock } from './line-blocks.js';
import { sequenceLength } from './sequences.js';

export type OnInvalid = 'fail' | 'replace' | 'drop-line';

/** One byte sequence that could not be decoded, or one character the target cannot encode. */
export interface Finding {
  readonly kind: 'undecodable' | 'unencodable';
  readonly line: number;
  readonly byteOffset: number;
  /** The offending bytes of the input, as hex ("d2 ff"). */
  readonly bytes: string;
  /** Unencodable only: the character and its code point. */
  readonly char?: string;
  readonly codePoint?: string;
}

export interface BlockResult {
  readonly output: Buffer;
  readonly findings: readonly Finding[];
  readonly linesIn: number;
  readonly droppedLines: number;
  readonly replacedLines: number;
}

const REPLACEMENT = '\uFFFD';
/** Building a DoubleByteTable takes ~25–80 ms: only worth it for files of a few MB, which come in big blocks. */
const TABLE_MIN_BLOCK_BYTES = 512 << 10;

/**
 * Converts blocks of whole lines from one charset to another. Double-byte charsets to UTF-8 go
 * through a byte table first (see DoubleByteTable). Otherwise the fast path converts a block in
 * one call and proves it lossless (no replacement character appeared; for a non-Unicode target,
 * the output decodes back to the same text). Only a block that fails that proof is redone line by
 * line, sequence by sequence, to say exactly which bytes are bad and apply `on_invalid`.
 */
export class Transcoder {
  private readonly replacementBytes: Buffer;
  /** Built on the first big block (null: not built yet). */
  private table: DoubleByteTable | undefined | null = null;

  constructor(
    private readonly from: Charset,
    private readonly to: Charset,
    private readonly onInvalid: OnInvalid,
  ) {
    this.replacementBytes = iconv.encode(REPLACEMENT, from.iconv);
  }

  transcode(block: LineBlock): BlockResult {
    if (this.table === null && block.bytes.length >= TABLE_MIN_BLOCK_BYTES) this.table = DoubleByteTable.for(this.from, this.to);
    const direct = this.table?.toUtf8(block.bytes);
    if (direct) return { output: direct, findings: [], linesIn: this.linesOf(block.bytes), droppedLines: 0, replacedLines: 0 };
    const text = this.decode(block.bytes);
    if (this.decodedCleanly(text, block.bytes)) {
      // Same charset both ways (e.g. validating UTF-8): the valid input already is the output.
      const output = this.from.iconv === this.to.iconv ? block.bytes : iconv.encode(text, this.to.iconv);
      if (this.to.unicode || iconv.decode(output, this.to.iconv) === text) {
        return { output, findings: [], linesIn: this.linesOf(block.bytes), droppedLines: 0, replacedLines: 0 };
      }
    }
    return this.transcodeLineByLine(block);
  }

  private transcodeLineByLine(block: LineBlock): BlockResult {
    const ends = lineEnds(block.bytes, this.from.family);
    const parts: Buffer[] = [];
    const findings: Finding[] = [];
    let droppedLines = 0;
    let replacedLines = 0;
    let start = 0;
    ends.forEach((end, i) => {
      const line = block.firstLine + i;
      const offset = block.byteOffset + start;
      const { text, problems } = this.convertLine(block.bytes.subarray(start, end), line, offset);
      start = end;
      findings.push(...problems);
      if (problems.length === 0) parts.push(iconv.encode(text, this.to.iconv));
      else if (this.onInvalid === 'replace') {
        replacedLines++;
        parts.push(iconv.encode(text, this.to.iconv)); // iconv-lite substitutes what it cannot encode
      } else droppedLines++; // drop-line, or fail (nothing is written after a failure)
    });
    return { output: Buffer.concat(parts), findings, linesIn: ends.length, droppedLines, replacedLines };
  }

  /** Decodes one line, replacing each bad sequence with U+FFFD, and lists every problem. */
  private convertLine(bytes: Buffer, line: number, lineOffset: number): { text: string; problems: Finding[] } {
    const problems: Finding[] = [];
    let text = this.decode(bytes);
    if (!this.decodedCleanly(text, bytes)) {
      text = '';
      for (let at = 0; at < bytes.length; ) {
        const n = sequenceLength(this.from.family, bytes, at);
        const seq = bytes.subarray(at, at + Math.abs(n));
        const decoded = n > 0 ? this.decode(seq) : REPLACEMENT;
        if (n < 0 || (decoded.includes(REPLACEMENT) && !seq.equals(this.replacementBytes))) {
          problems.push({ kind: 'undecodable', line, byteOffset: lineOffset + at, bytes: hex(seq) });
          text += REPLACEMENT;
        } else text += decoded;
        at += Math.abs(n);
      }
    }
    if (!this.to.unicode) problems.push(...this.unencodable(text, line, lineOffset, problems.length > 0));
    return { text, problems };
  }

  private unencodable(text: string, line: number, lineOffset: number, hadUndecodable: boolean): Finding[] {
    if (iconv.decode(iconv.encode(text, this.to.iconv), this.to.iconv) === text) return [];
    const found: Finding[] = [];
    let index = 0;
    for (const char of text) {
      const skip = hadUndecodable && char === REPLACEMENT; // already reported as undecodable
      if (!skip && iconv.decode(iconv.encode(char, this.to.iconv), this.to.iconv) !== char) {
        const source = iconv.encode(char, this.from.iconv);
        found.push({
          kind: 'unencodable',
          line,
          byteOffset: lineOffset + iconv.encode(text.slice(0, index), this.from.iconv).length,
          bytes: hex(source),
          char,
          codePoint: `U+${(char.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}`,
        });
      }
      index += char.length;
    }
    return found;
  }

  private decode(bytes: Buffer): string {
    return iconv.decode(bytes, this.from.iconv, { stripBOM: false });
  }

  /** iconv-lite marks bad input with U+FFFD, except UTF-16, where Node keeps lone surrogates. */
  private decodedCleanly(text: string, bytes: Buffer): boolean {
    if (text.includes(REPLACEMENT)) return false;
    if (this.from.family === 'utf16le' || this.from.family === 'utf16be') {
      return bytes.length % 2 === 0 && (text as unknown as { isWellFormed(): boolean }).isWellFormed();
    }
    return true;
  }

  /** Lines in a block: its line breaks, plus an unterminated last line. */
  private linesOf(bytes: Buffer): number {
    return countLines(bytes, this.from.family) + (this.endsWithoutBreak(bytes) ? 1 : 0);
  }

  private endsWithoutBreak(bytes: Buffer): boolean {
    if (bytes.length === 0) return false;
    const ends = this.from.family === 'utf16le' ? bytes[bytes.length - 2] === 0x0a && bytes[bytes.length - 1] === 0
      : this.from.family === 'utf16be' ? bytes[bytes.length - 2] === 0 && bytes[bytes.length - 1] === 0x0a
      : bytes[bytes.length - 1] === 0x0a;
    return !ends;
  }
}

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
