import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodingStage } from '../../../src/stages/encoding/definition.js';
import { runStage, runStageError, tempProject, withDefaults, writeText } from '../stage-harness.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/poems/${name}`, import.meta.url));

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => (project = await tempProject()));
afterEach(async () => project.cleanup());

async function convert(input: string, options: Record<string, unknown>, out = 'out.txt'): Promise<{ bytes: Buffer; report: any; log: string[] }> {
  const { log } = await runStage(encodingStage, project.root, { deps: [input], outs: [project.path(out)], metrics: [project.path('m.json')] }, options);
  return { bytes: await readFile(project.path(out)), report: JSON.parse(await readFile(project.path('m.json'), 'utf8')), log };
}

describe('encoding on real GBK data (chinese-poetry)', () => {
  it('decodes GBK to the same bytes as the UTF-8 original, and encodes back to the original GBK bytes', async () => {
    const gbk = await readFile(fixture('poems.gbk.csv'));
    const decoded = await convert(fixture('poems.gbk.csv'), { from: 'gbk' }, 'poems.csv');
    expect(decoded.bytes.equals(await readFile(fixture('poems.utf8.csv')))).toBe(true);
    expect(decoded.report).toMatchObject({ from: 'gbk', to: 'utf-8', rows_in: 121, rows_out: 121, bytes_in: gbk.length, invalid: { count: 0 } });

    const back = await convert(project.path('poems.csv'), { from: 'utf-8', to: 'gbk' }, 'back.csv');
    expect(back.bytes.equals(gbk)).toBe(true);
  });

  it('auto-detects GBK and Big5 and says what it chose', async () => {
    const gbk = await convert(fixture('poems.gbk.csv'), { from: 'auto' });
    expect(gbk.report.detected).toMatchObject({ encoding: 'gbk' });
    expect(gbk.log[0]).toMatch(/^detected gbk/);

    const text = await readFile(fixture('poems.utf8.csv'), 'utf8');
    const big5File = project.path('poems.big5.csv');
    await writeText(big5File, iconv.encode(text, 'big5'));
    const big5 = await convert(big5File, { from: 'auto' }, 'b.csv');
    expect(big5.report.detected.encoding).toBe('big5');
    // poems hold a few characters Big5 lacks; iconv-lite wrote "?" for those when making the file
    expect(big5.bytes.toString('utf8')).toBe(iconv.decode(iconv.encode(text, 'big5'), 'big5'));
  });

  it('auto-detects UTF-8 and a UTF-16LE BOM; bom: keep makes the round trip byte-exact', async () => {
    const utf8 = await convert(fixture('poems.utf8.csv'), {});
    expect(utf8.report.detected).toMatchObject({ encoding: 'utf-8', reason: 'valid UTF-8' });

    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('a,b\r\n漢字,😀\r\n', 'utf16le')]);
    await writeText(project.path('in16.txt'), utf16);
    const decoded = await convert(project.path('in16.txt'), {}, 'u8.txt');
    expect(decoded.report).toMatchObject({ detected: { encoding: 'utf-16le' }, bom: { input: true, output: true }, rows_in: 2 });
    expect(decoded.bytes.toString('utf8')).toBe('\uFEFFa,b\r\n漢字,😀\r\n');
    const back = await convert(project.path('u8.txt'), { from: 'utf-8', to: 'utf-16le' }, 'back16.txt');
    expect(back.bytes.equals(utf16)).toBe(true);
  });
});

describe('encoding: bad input', () => {
  // line 1 ok; line 2 has 0xFF (never valid in GBK); line 3 a lead byte 0x81 at offset 14 followed by a space
  const bad = Buffer.concat([Buffer.from('id,text\n1,'), Buffer.from([0xff]), Buffer.from('\n2,'), Buffer.from([0x81]), Buffer.from(' A'), iconv.encode('汉\n', 'gbk')]);

  it('on_invalid: fail reports every undecodable sequence with line, byte offset and bytes, and writes nothing', async () => {
    await writeText(project.path('bad.csv'), bad);
    const error = await runStageError(encodingStage, project.root, { deps: [project.path('bad.csv')], outs: [project.path('out.csv')] }, { from: 'gbk' });
    expect(error.code).toBe('E_ENCODING_INVALID');
    expect(error.data).toMatchObject({ file: project.path('bad.csv'), line: 2, byteOffset: 10, bytes: 'ff', count: 2 });
    expect(error.data.findings).toEqual([
      { kind: 'undecodable', line: 2, byteOffset: 10, bytes: 'ff' },
      { kind: 'undecodable', line: 3, byteOffset: 14, bytes: '81' },
    ]);
    await expect(readFile(project.path('out.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('on_invalid: replace writes U+FFFD per bad sequence; drop-line drops the lines', async () => {
    await writeText(project.path('bad.csv'), bad);
    const replaced = await convert(project.path('bad.csv'), { from: 'gbk', on_invalid: 'replace' });
    expect(replaced.bytes.toString('utf8')).toBe('id,text\n1,\uFFFD\n2,\uFFFD A汉\n');
    expect(replaced.report).toMatchObject({ replaced_lines: 2, rows_out: 3, invalid: { count: 2, undecodable: 2 } });

    const dropped = await convert(project.path('bad.csv'), { from: 'gbk', on_invalid: 'drop-line' });
    expect(dropped.bytes.toString('utf8')).toBe('id,text\n');
    expect(dropped.report).toMatchObject({ rows_in: 3, rows_out: 1, dropped: { lines: 2 } });
  });

  it('finds invalid UTF-8 and lone UTF-16 surrogates', async () => {
    await writeText(project.path('u8.txt'), Buffer.from([0x61, 0x0a, 0x62, 0xe6, 0xb1, 0x0a]));
    const u8 = await runStageError(encodingStage, project.root, { deps: [project.path('u8.txt')], outs: [project.path('o')] }, { from: 'utf-8' });
    expect(u8.data).toMatchObject({ line: 2, byteOffset: 3, bytes: 'e6 b1' });

    await writeText(project.path('u16.txt'), Buffer.from([0x61, 0x00, 0x0a, 0x00, 0x00, 0xd8, 0x62, 0x00]));
    const u16 = await runStageError(encodingStage, project.root, { deps: [project.path('u16.txt')], outs: [project.path('o')] }, { from: 'utf-16le' });
    expect(u16.data).toMatchObject({ line: 2, byteOffset: 4, bytes: '00 d8' });
  });

  it('reports a character the target cannot encode', async () => {
    await writeText(project.path('e.txt'), 'ok\n汉😀字\n');
    const error = await runStageError(encodingStage, project.root, { deps: [project.path('e.txt')], outs: [project.path('o')] }, { from: 'utf-8', to: 'gbk' });
    expect(error.code).toBe('E_ENCODING_UNENCODABLE');
    expect(error.data).toMatchObject({ line: 2, byteOffset: 6, bytes: 'f0 9f 98 80' });
    expect(error.data.findings).toEqual([expect.objectContaining({ codePoint: 'U+1F600', char: '😀' })]);
  });

  it('rejects a BOM that contradicts from:', async () => {
    await writeText(project.path('b.txt'), Buffer.from([0xff, 0xfe, 0x61, 0x00]));
    const error = await runStageError(encodingStage, project.root, { deps: [project.path('b.txt')], outs: [project.path('o')] }, { from: 'gbk' });
    expect(error).toMatchObject({ code: 'E_ENCODING_BOM_MISMATCH', data: { line: 1, byteOffset: 0, bom: 'utf-16le' } });
  });

  it('check() wants one dep and one out, and a BOM only for Unicode targets', () => {
    const opts = withDefaults(encodingStage, { to: 'gbk', bom: 'add' });
    const problems = encodingStage.check?.(opts, { deps: ['a', 'b'], outs: ['c'], metrics: [] }) ?? [];
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['E_ENCODING_ARITY', []],
      ['E_ENCODING_BOM_UNSUPPORTED', ['bom']],
    ]);
  });
});
