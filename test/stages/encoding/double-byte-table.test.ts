import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetOf } from '../../../src/stages/encoding/charsets.js';
import { DoubleByteTable } from '../../../src/stages/encoding/double-byte-table.js';
import { Transcoder } from '../../../src/stages/encoding/transcode.js';

// The byte table must convert exactly as iconv-lite decode + UTF-8 encode, and give up (so the
// careful path reports the bad bytes) on anything it does not know.

function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const POOL = 'abcXYZ019 ,.;"\n\t秦川雄帝宅函谷壯皇居。，、「」＃ー汉字繁體テストかなカナ한국어ΑΒΓабв€';

describe('DoubleByteTable', () => {
  for (const name of ['gbk', 'gb18030', 'big5', 'shift_jis', 'euc-kr']) {
    it(`${name}: same bytes as iconv-lite on text, and on random bytes whenever it does not give up`, () => {
      const table = DoubleByteTable.for(charsetOf(name), charsetOf('utf-8')) as DoubleByteTable;
      const next = lcg(name.length);
      // GB18030 writes Hangul as 4-byte sequences, which the table leaves to the careful path.
      const pool = name === 'gb18030' ? POOL.replace('한국어', '') : POOL;
      const text = Array.from({ length: 20_000 }, () => pool[Math.floor(next() * pool.length)]).join('');
      const bytes = iconv.encode(text, name);
      expect(table.toUtf8(bytes)?.equals(Buffer.from(iconv.decode(bytes, name), 'utf8'))).toBe(true);
      const common = iconv.encode('abc,秦川雄帝宅。\n', name);
      expect(table.toUtf8(common)?.toString()).toBe('abc,秦川雄帝宅。\n');
      // Short random soups: long ones almost always hold a byte pair the table rejects.
      let checked = 0;
      for (let n = 0; n < 1000; n++) {
        const soup = Buffer.from(Array.from({ length: 8 }, () => Math.floor(next() * 256)));
        const fast = table.toUtf8(soup);
        if (fast === undefined) continue;
        checked++;
        expect(fast.toString('hex')).toBe(Buffer.from(iconv.decode(soup, name), 'utf8').toString('hex'));
      }
      expect(checked).toBeGreaterThanOrEqual(100);
    });
  }

  it('gb18030: gives up on Hangul (4-byte sequences) instead of converting it wrongly', () => {
    const table = DoubleByteTable.for(charsetOf('gb18030'), charsetOf('utf-8')) as DoubleByteTable;
    const bytes = iconv.encode('天地 한국어', 'gb18030');
    expect(bytes.length).toBe(2 * 2 + 1 + 3 * 4); // two 2-byte Hanzi, a space, three 4-byte Hangul
    expect(table.toUtf8(bytes)).toBeUndefined();
  });

  it('is not used for UTF-8 sources or non-UTF-8 targets', () => {
    expect(DoubleByteTable.for(charsetOf('utf-8'), charsetOf('utf-8'))).toBeUndefined();
    expect(DoubleByteTable.for(charsetOf('gbk'), charsetOf('big5'))).toBeUndefined();
  });
});

describe('Transcoder with the table (big blocks)', () => {
  it('still finds a bad byte with its line and offset in a 1 MiB block', () => {
    const line = iconv.encode('1,tang,秦川雄帝宅，函谷壯皇居。\n', 'gbk');
    const lines = Array.from({ length: Math.ceil((1 << 20) / line.length) }, () => line);
    const bad = Buffer.from([0x32, 0x2c, 0xff, 0x0a]); // "2," then 0xFF, not valid GBK
    const bytes = Buffer.concat([...lines, bad, line]);
    const transcoder = new Transcoder(charsetOf('gbk'), charsetOf('utf-8'), 'drop-line');
    const result = transcoder.transcode({ bytes, firstLine: 1, byteOffset: 0 });
    expect(result.findings).toEqual([{ kind: 'undecodable', line: lines.length + 1, byteOffset: lines.length * line.length + 2, bytes: 'ff' }]);
    expect(result.output.equals(Buffer.from(iconv.decode(Buffer.concat([...lines, line]), 'gbk'), 'utf8'))).toBe(true);

    const clean = transcoder.transcode({ bytes: Buffer.concat(lines), firstLine: 1, byteOffset: 0 });
    expect(clean.findings).toEqual([]);
    expect(clean.linesIn).toBe(lines.length);
    expect(clean.output.equals(Buffer.from(iconv.decode(Buffer.concat(lines), 'gbk'), 'utf8'))).toBe(true);
  });
});
