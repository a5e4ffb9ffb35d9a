import type { Family } from './charsets.js';

/**
 * The length of the byte sequence that starts at `at`, by the charset's lead/trail byte ranges:
 * positive = a well-formed sequence of that many bytes (it may still be unmapped: the caller
 * decodes it to check), negative = that many bytes that cannot start a character.
 * iconv-lite replaces such bytes silently, so this is how we find and report them.
 */
export function sequenceLength(family: Family, buf: Uint8Array, at: number): number {
  const b = buf[at] as number;
  switch (family) {
    case 'single':
      return 1;
    case 'utf8':
      return utf8Length(buf, at);
    case 'utf16le':
    case 'utf16be':
      return utf16Length(buf, at, family === 'utf16le');
    case 'gbk':
      if (b < 0x81 || b === 0xff) return b === 0xff ? -1 : 1;
      return inRange(buf[at + 1], 0x40, 0x7e) || inRange(buf[at + 1], 0x80, 0xfe) ? 2 : -1;
    case 'gb18030':
      if (b < 0x81 || b === 0xff) return b === 0xff ? -1 : 1;
      if (inRange(buf[at + 1], 0x30, 0x39)) {
        return inRange(buf[at + 2], 0x81, 0xfe) && inRange(buf[at + 3], 0x30, 0x39) ? 4 : -1;
      }
      return inRange(buf[at + 1], 0x40, 0x7e) || inRange(buf[at + 1], 0x80, 0xfe) ? 2 : -1;
    case 'big5':
      if (b < 0x81 || b === 0xff) return b === 0xff ? -1 : 1;
      return inRange(buf[at + 1], 0x40, 0x7e) || inRange(buf[at + 1], 0xa1, 0xfe) ? 2 : -1;
    case 'shift_jis':
      if (b < 0x81 || inRange(b, 0xa0, 0xdf) || b >= 0xfd) return 1;
      return inRange(buf[at + 1], 0x40, 0x7e) || inRange(buf[at + 1], 0x80, 0xfc) ? 2 : -1;
    case 'euc_jp':
      if (b < 0x80) return 1;
      if (b === 0x8e) return inRange(buf[at + 1], 0xa1, 0xdf) ? 2 : -1;
      if (b === 0x8f) return inRange(buf[at + 1], 0xa1, 0xfe) && inRange(buf[at + 2], 0xa1, 0xfe) ? 3 : -1;
      return inRange(b, 0xa1, 0xfe) && inRange(buf[at + 1], 0xa1, 0xfe) ? 2 : -1;
    case 'euc_kr':
      if (b < 0x81 || b === 0xff) return b === 0xff ? -1 : 1;
      return inRange(buf[at + 1], 0x41, 0x5a) || inRange(buf[at + 1], 0x61, 0x7a) || inRange(buf[at + 1], 0x81, 0xfe)
        ? 2
        : -1;
  }
}

function inRange(b: number | undefined, lo: number, hi: number): boolean {
  return b !== undefined && b >= lo && b <= hi;
}

/** RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF. */
function utf8Length(buf: Uint8Array, at: number): number {
  const b = buf[at] as number;
  if (b < 0x80) return 1;
  let need: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) lo = 0xa0;
    if (b === 0xed) hi = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) lo = 0x90;
    if (b === 0xf4) hi = 0x8f;
  } else return -1;
  if (!inRange(buf[at + 1], lo, hi)) return -1;
  for (let k = 2; k <= need; k++) if (!inRange(buf[at + k], 0x80, 0xbf)) return -(k);
  return need + 1;
}

function utf16Length(buf: Uint8Array, at: number, littleEndian: boolean): number {
  if (at + 1 >= buf.length) return -1; // a lone trailing byte
  const unit = (i: number): number =>
    littleEndian ? (buf[i] as number) | ((buf[i + 1] as number) << 8) : ((buf[i] as number) << 8) | (buf[i + 1] as number);
  const u = unit(at);
  if (u >= 0xdc00 && u <= 0xdfff) return -2; // a low surrogate with no high one
  if (u < 0xd800 || u > 0xdbff) return 2;
  if (at + 3 >= buf.length) return -2;
  const next = unit(at + 2);
  return next >= 0xdc00 && next <= 0xdfff ? 4 : -2;
}
