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
      const text = Array.from({ length: 20_000 }, () => POOL[Math.floor(next() * POOL.length)]).join('');
      const bytes = iconv.encode(text, name);
      const reference = Buffer.from(iconv.decode(bytes, name), 'utf8');
      const converted = table.toUtf8(bytes);
      // GB18030 writes Hangul as 4-byte sequences: the table gives up on those, by design.
      if (name === 'gb18030') expect(converted === undefined || converted.equals(reference)).toBe(true);
      else expect(converted?.equals(reference)).toBe(true);
      const common = iconv.encode('abc,秦川雄帝宅。\n', name);
      expect(table.toUtf8(common)?.toString()).toBe('abc,秦川雄帝宅。\n');
      for (let n = 0; n < 300; n++) {
        const soup = Buffer.from(Array.from({ length: 40 }, () => Math.floor(next() * 256)));
        const fast = table.toUtf8(soup);
        if (fast === undefined) continue;
        expect(fast.toString('hex')).toBe(Buffer.from(iconv.decode(soup, name), 'utf8').toString('hex'));
      }
    });
  }

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
