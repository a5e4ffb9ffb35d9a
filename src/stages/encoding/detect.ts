import iconv from 'iconv-lite';
import { charsetOf, charsetOfBom, type Charset } from './charsets.js';
import { sequenceLength } from './sequences.js';

/** What `from: auto` chose and why (logged and written to the report). */
export interface Detection {
  readonly encoding: string;
  readonly reason: string;
  /** Legacy candidates that were scored: undecodable sequences and common-character hits. */
  readonly candidates: readonly { encoding: string; invalid: number; score: number }[];
}

// The most frequent Chinese characters, simplified and traditional forms, plus kana and hangul
// ranges: a sample decoded with the right charset is full of them, a wrong charset gives rare ones.
const COMMON_HANZI = new Set(
  '的一是不了人在有我他这這中大来來上国國个個到说說们們为為子和你地出道也时時年得就那要下以生会會自着著去之过過家学學对對可她里裏后後小么麼心多天而能好都然没沒日于於起还還发發成事只作当當想看文无無开開手十用主行方又如前所本见見经經头頭面公同三已老从從动動样樣长長山风風月花春水雲云人何相歸归白君無江明秋夜千' +
    '萬万古南東东西北',
);

const LEGACY: readonly string[] = ['gbk', 'gb18030', 'big5', 'shift_jis', 'euc-kr'];

/**
 * Detects the charset of a file from its first bytes: a byte-order mark; else valid UTF-8; else
 * UTF-16 without BOM (many NUL bytes on one side); else the legacy CJK charset that decodes the
 * sample with the fewest undecodable sequences, ties broken by how many common characters it
 * yields; latin1 (which decodes any byte) when none of them fits.
 */
export function detectCharset(sample: Buffer, sampleIsWholeFile: boolean): Detection {
  const bom = charsetOfBom(sample);
  if (bom) return { encoding: bom.name, reason: `byte-order mark of ${bom.name}`, candidates: [] };
  const checked = sampleIsWholeFile ? sample : trimPartialLine(sample);
  if (undecodable(charsetOf('utf-8'), checked) === 0) {
    const ascii = checked.every((b) => b < 0x80);
    return { encoding: 'utf-8', reason: ascii ? 'only ASCII bytes' : 'valid UTF-8', candidates: [] };
  }
  const utf16 = utf16WithoutBom(checked);
  if (utf16) return { encoding: utf16, reason: 'NUL bytes in every other position', candidates: [] };
  const candidates = LEGACY.map((name) => {
    const charset = charsetOf(name);
    return { encoding: name, invalid: undecodable(charset, checked), score: commonCharacters(charset, checked) };
  });
  const best = [...candidates].sort((a, b) => a.invalid - b.invalid || b.score - a.score)[0];
  if (!best || best.score === 0) {
    return { encoding: 'latin1', reason: 'no multi-byte charset fits; every byte kept as latin1', candidates };
  }
  return {
    encoding: best.encoding,
    reason: `fewest undecodable sequences (${best.invalid}) and most common characters (${best.score})`,
    candidates,
  };
}

/** Cut the sample after its last line break, so a character cut at the sample's end is not "bad". */
function trimPartialLine(sample: Buffer): Buffer {
  const end = sample.lastIndexOf(0x0a);
  return end === -1 ? sample : sample.subarray(0, end + 1);
}

function undecodable(charset: Charset, bytes: Buffer): number {
  let bad = 0;
  for (let at = 0; at < bytes.length; ) {
    const n = sequenceLength(charset.family, bytes, at);
    if (n < 0) bad++;
    at += Math.abs(n);
  }
  if (charset.family !== 'utf8') bad += countOf(iconv.decode(bytes, charset.iconv), '\uFFFD');
  return bad;
}

function commonCharacters(charset: Charset, bytes: Buffer): number {
  let score = 0;
  for (const char of iconv.decode(bytes, charset.iconv)) {
    const cp = char.codePointAt(0) as number;
    const kana = charset.name === 'shift_jis' && cp >= 0x3040 && cp <= 0x30ff;
    const hangul = charset.name === 'euc-kr' && cp >= 0xac00 && cp <= 0xd7a3;
    if (kana || hangul || COMMON_HANZI.has(char)) score++;
  }
  return score;
}

function utf16WithoutBom(bytes: Buffer): string | undefined {
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const units = Math.floor(bytes.length / 2);
  if (units === 0) return undefined;
  if (oddNul / units > 0.3 && evenNul / units < 0.05) return 'utf-16le';
  if (evenNul / units > 0.3 && oddNul / units < 0.05) return 'utf-16be';
  return undefined;
}

function countOf(text: string, char: string): number {
  let n = 0;
  for (let at = text.indexOf(char); at !== -1; at = text.indexOf(char, at + 1)) n++;
  return n;
}
