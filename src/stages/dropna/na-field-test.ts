import type { FieldTest } from '../../table/index.js';
import type { DropnaOptions } from './definition.js';

/**
 * "Is this value missing?" — one of the NA values, or (with whitespace_is_empty and "" among
 * them) whitespace only. On a delimited field's bytes, most values are settled without decoding:
 * a value with more bytes than the longest NA value can only be missing if it is whitespace
 * only, and a first byte that starts no whitespace character rules that out. Long texts (the
 * bulk of a corpus) are therefore never decoded, which is where dropna's time used to go.
 */
export class NaFieldTest implements FieldTest {
  private readonly naValues: ReadonlySet<string>;
  /** Decoding never makes a value shorter in UTF-8 (a bad byte becomes U+FFFD, 3 bytes), so longer bytes cannot match. */
  private readonly longestNaBytes: number;
  private readonly blankIsMissing: boolean;

  constructor(opts: Pick<DropnaOptions, 'na_values' | 'whitespace_is_empty'>) {
    this.naValues = new Set(opts.na_values);
    this.longestNaBytes = Math.max(0, ...opts.na_values.map((v) => Buffer.byteLength(v)));
    this.blankIsMissing = opts.whitespace_is_empty && this.naValues.has('');
  }

  text(value: unknown): boolean {
    if (value === undefined || value === null) return true;
    if (typeof value !== 'string') return typeof value === 'number' && Number.isNaN(value);
    if (this.naValues.has(value)) return true;
    return this.blankIsMissing && value.length > 0 && value.trim() === '';
  }

  bytes(bytes: Buffer, start: number, end: number): boolean {
    if (end - start > this.longestNaBytes && !(this.blankIsMissing && mayStartWhitespace(bytes[start] as number))) return false;
    return this.text(bytes.toString('utf8', start, end));
  }
}

/**
 * Whether `byte` can be the first UTF-8 byte of a character that String#trim removes: ASCII
 * tab..carriage return and space, or the lead byte of U+00A0 (C2), U+1680 (E1), U+2000–U+205F
 * (E2), U+3000 (E3) and U+FEFF (EF). Any other first byte means "not whitespace only".
 */
export function mayStartWhitespace(byte: number): boolean {
  return (byte >= 0x09 && byte <= 0x0d) || byte === 0x20 || byte === 0xc2 || byte === 0xe1 || byte === 0xe2 || byte === 0xe3 || byte === 0xef;
}
