import { DvctsError } from '../../core/errors.js';

/** How a charset's bytes form characters: decides validation and where lines end. */
export type Family = 'utf8' | 'utf16le' | 'utf16be' | 'gbk' | 'gb18030' | 'big5' | 'shift_jis' | 'euc_jp' | 'euc_kr' | 'single';

export interface Charset {
  /** Canonical name, as reported. */
  readonly name: string;
  /** Name passed to iconv-lite. */
  readonly iconv: string;
  readonly family: Family;
  /** Unicode encodings can encode every character and carry a byte-order mark. */
  readonly unicode: boolean;
}

const CHARSETS: readonly Charset[] = [
  { name: 'utf-8', iconv: 'utf8', family: 'utf8', unicode: true },
  { name: 'utf-16le', iconv: 'utf16le', family: 'utf16le', unicode: true },
  { name: 'utf-16be', iconv: 'utf16be', family: 'utf16be', unicode: true },
  { name: 'gbk', iconv: 'gbk', family: 'gbk', unicode: false },
  { name: 'gb2312', iconv: 'gb2312', family: 'gbk', unicode: false },
  { name: 'gb18030', iconv: 'gb18030', family: 'gb18030', unicode: false },
  { name: 'big5', iconv: 'big5', family: 'big5', unicode: false },
  { name: 'shift_jis', iconv: 'shiftjis', family: 'shift_jis', unicode: false },
  { name: 'cp932', iconv: 'cp932', family: 'shift_jis', unicode: false },
  { name: 'euc-jp', iconv: 'eucjp', family: 'euc_jp', unicode: false },
  { name: 'euc-kr', iconv: 'euckr', family: 'euc_kr', unicode: false },
  { name: 'latin1', iconv: 'latin1', family: 'single', unicode: false },
  { name: 'iso-8859-15', iconv: 'iso885915', family: 'single', unicode: false },
  { name: 'windows-1252', iconv: 'windows1252', family: 'single', unicode: false },
  { name: 'windows-1251', iconv: 'windows1251', family: 'single', unicode: false },
  { name: 'koi8-r', iconv: 'koi8r', family: 'single', unicode: false },
];

/**
 * Other names for the charsets, as they appear in e-mail headers, HTML meta tags and other tools
 * (iconv, Python, Java). Names match whatever their case, `-`, `_` and spaces: `GBK`, `UTF-8`,
 * `utf8`, `Big5`, `Shift-JIS`, `ISO_8859-1` all work.
 */
const ALIASES: Readonly<Record<string, string>> = {
  cp936: 'gbk',
  ms936: 'gbk',
  windows936: 'gbk',
  xgbk: 'gbk',
  euccn: 'gb2312',
  cp950: 'big5',
  big5hkscs: 'big5',
  sjis: 'shift_jis',
  mskanji: 'shift_jis',
  windows31j: 'cp932',
  ms932: 'cp932',
  cp949: 'euc-kr',
  ksc56011987: 'euc-kr',
  iso88591: 'latin1',
  l1: 'latin1',
  cp1252: 'windows-1252',
  cp1251: 'windows-1251',
  latin9: 'iso-8859-15',
};

/** `UTF-8`, `utf_8`, `Utf 8` → `utf8`: the key names are compared by. */
function nameKey(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '');
}

const BY_KEY: ReadonlyMap<string, Charset> = new Map([
  ...CHARSETS.map((c) => [nameKey(c.name), c] as const),
  ...Object.entries(ALIASES).map(([alias, name]) => [alias, CHARSETS.find((c) => c.name === name) as Charset] as const),
]);

/** The canonical charset names (the aliases are accepted too; see `findCharset`). */
export const CHARSET_NAMES: readonly string[] = CHARSETS.map((c) => c.name);

/** The charset a name means, whatever its case and separators, or undefined. */
export function findCharset(name: string): Charset | undefined {
  return BY_KEY.get(nameKey(name));
}

export function charsetOf(name: string): Charset {
  const charset = findCharset(name);
  if (!charset) {
    throw new DvctsError('E_ENCODING_UNSUPPORTED', `encoding "${name}" is not supported`, {
      data: { encoding: name },
      hint: `use one of: ${CHARSET_NAMES.join(', ')}`,
    });
  }
  return charset;
}

/** The byte-order mark of a Unicode charset (empty for others). */
export function bomOf(charset: Charset): Buffer {
  if (charset.family === 'utf8') return Buffer.from([0xef, 0xbb, 0xbf]);
  if (charset.family === 'utf16le') return Buffer.from([0xff, 0xfe]);
  if (charset.family === 'utf16be') return Buffer.from([0xfe, 0xff]);
  return Buffer.alloc(0);
}

/** The Unicode charset whose BOM starts `head`, if any. */
export function charsetOfBom(head: Buffer): Charset | undefined {
  for (const name of ['utf-8', 'utf-16le', 'utf-16be']) {
    const charset = charsetOf(name);
    const bom = bomOf(charset);
    if (head.length >= bom.length && head.subarray(0, bom.length).equals(bom)) return charset;
  }
  return undefined;
}
