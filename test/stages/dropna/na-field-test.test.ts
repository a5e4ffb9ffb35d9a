import { describe, expect, it } from 'vitest';
import { mayStartWhitespace, NaFieldTest } from '../../../src/stages/dropna/na-field-test.js';

// dropna decides most values from their bytes without decoding them; these tests hold that
// shortcut to the plain rule on the decoded text.

describe('mayStartWhitespace', () => {
  it('covers the first UTF-8 byte of every character String#trim removes', () => {
    const missed: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      if (char.trim() === '' && !mayStartWhitespace(Buffer.from(char)[0] as number)) missed.push(cp.toString(16));
    }
    expect(missed).toEqual([]);
  });
});

describe('NaFieldTest.bytes', () => {
  const options = [
    { na_values: ['', 'NA', 'N/A', 'null', 'NaN'], whitespace_is_empty: true },
    { na_values: ['', 'NA'], whitespace_is_empty: false },
    { na_values: ['缺失', '-'], whitespace_is_empty: true },
  ];
  const values = [
    Buffer.from(''),
    Buffer.from('NA'),
    Buffer.from('na'),
    Buffer.from('N/A '),
    Buffer.from('   '),
    Buffer.from('\u3000\u3000\u3000\u3000'),
    Buffer.from('\u00a0 \ufeff\u2028\t'),
    Buffer.from(' \u3000 x'),
    Buffer.from('缺失'),
    Buffer.from('秦川雄帝宅，函谷壯皇居。'),
    Buffer.from('a long ASCII value that is not missing'),
    Buffer.from([0xe3, 0x80]), // a cut-off U+3000: decodes to U+FFFD, not whitespace
    Buffer.from([0xff, 0xfe, 0x20]),
    Buffer.from([0xc2, 0xa0, 0xc2, 0xa0, 0xc2, 0xa0, 0xc2, 0xa0]),
  ];

  it('gives the same answer as testing the decoded text', () => {
    for (const opts of options) {
      const test = new NaFieldTest(opts);
      for (const value of values) {
        // Embedded in a larger buffer, as a field of a row is.
        const row = Buffer.concat([Buffer.from('x,'), value, Buffer.from(',y\n')]);
        const fromBytes = test.bytes(row, 2, 2 + value.length);
        expect([opts.na_values, value.toString('hex'), fromBytes]).toEqual([opts.na_values, value.toString('hex'), test.text(value.toString('utf8'))]);
      }
    }
  });

  it('treats a whitespace-only value as missing only with whitespace_is_empty and "" among the NA values', () => {
    const spaces = Buffer.from('\u3000\u3000\u3000\u3000');
    expect(new NaFieldTest({ na_values: ['', 'NA'], whitespace_is_empty: true }).bytes(spaces, 0, spaces.length)).toBe(true);
    expect(new NaFieldTest({ na_values: ['', 'NA'], whitespace_is_empty: false }).bytes(spaces, 0, spaces.length)).toBe(false);
    expect(new NaFieldTest({ na_values: ['NA'], whitespace_is_empty: true }).bytes(spaces, 0, spaces.length)).toBe(false);
  });
});
