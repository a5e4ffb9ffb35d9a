import { readdir, readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTable, isRagged, openTable, writeJsonReport, type TableRow } from '../../src/table/index.js';
import { tempProject, writeText } from '../stages/stage-harness.js';

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => (project = await tempProject()));
afterEach(async () => project.cleanup());

async function rowsOf(path: string): Promise<{ columns: readonly string[]; rows: TableRow[] }> {
  const table = await openTable(path);
  const rows: TableRow[] = [];
  for await (const row of table) rows.push(row);
  return { columns: table.columns, rows };
}

describe('openTable', () => {
  it('reads CSV with quoted fields spanning lines and gives each row its starting line', async () => {
    const file = project.path('a.csv');
    await writeText(file, 'id,text\n1,"two\nlines"\n\n2,"say ""hi"", ok"\n3,plain\n');
    const { columns, rows } = await rowsOf(file);
    expect(columns).toEqual(['id', 'text']);
    expect(rows.map((r) => [r.index, r.line, ...(r.fields ?? [])])).toEqual([
      [0, 2, '1', 'two\nlines'],
      [1, 5, '2', 'say "hi", ok'],
      [2, 6, '3', 'plain'],
    ]);
    expect(rows[1]?.record).toEqual({ id: '2', text: 'say "hi", ok' });
  });

  it('handles CRLF, a BOM, TSV and a last line without a line break', async () => {
    const file = project.path('a.tsv');
    await writeText(file, '\uFEFFa\tb\r\nx\ty\r\nz\tw');
    const { columns, rows } = await rowsOf(file);
    expect(columns).toEqual(['a', 'b']);
    expect(rows.map((r) => r.fields)).toEqual([['x', 'y'], ['z', 'w']]);
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });

  it('reads an empty line as an empty value in a one-column table', async () => {
    const file = project.path('one.csv');
    await writeText(file, '\nv\nx\n\ny\n');
    const { columns, rows } = await rowsOf(file);
    expect(columns).toEqual(['v']);
    expect(rows.map((r) => [r.line, r.fields?.[0]])).toEqual([[3, 'x'], [4, ''], [5, 'y']]);
  });

  it('keeps ragged rows detectable', async () => {
    const file = project.path('r.csv');
    await writeText(file, 'a,b\n1,2\n1\n1,2,3\n');
    const { columns, rows } = await rowsOf(file);
    expect(rows.map((r) => isRagged(r, columns))).toEqual([false, true, true]);
  });

  it('reads rows across chunk boundaries (a 3 MB file) without losing or splitting any', async () => {
    const file = project.path('big.csv');
    const line = (i: number): string => `${i},"text with, comma and ""quote"" ${'汉'.repeat(i % 50)}"\n`;
    await writeText(file, 'id,text\n' + Array.from({ length: 30_000 }, (_, i) => line(i)).join(''));
    let count = 0;
    for await (const row of await openTable(file)) {
      expect(row.fields?.[0]).toBe(String(count));
      expect(row.line).toBe(count + 2);
      count++;
    }
    expect(count).toBe(30_000);
  });

  it('reports an unterminated quote with its line', async () => {
    const file = project.path('q.csv');
    await writeText(file, 'a,b\n1,2\n3,"open\n4,5\n');
    const error = await rowsOf(file).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'E_TABLE_UNTERMINATED_QUOTE', data: { file, line: 3 } });
  });

  it('reads JSONL and reports a bad line with its line and byte offset', async () => {
    const file = project.path('a.jsonl');
    await writeText(file, '{"a":1,"b":"é"}\n\n{"a":2}\n');
    const { columns, rows } = await rowsOf(file);
    expect(columns).toEqual(['a', 'b']);
    expect(rows.map((r) => [r.line, r.fields, r.record])).toEqual([
      [1, null, { a: 1, b: 'é' }],
      [3, null, { a: 2 }],
    ]);
    const bad = project.path('bad.jsonl');
    await writeText(bad, '{"a":"é"}\n{"a":\n');
    expect(await rowsOf(bad).catch((e: unknown) => e)).toMatchObject({
      code: 'E_TABLE_JSON_INVALID',
      data: { file: bad, line: 2, byteOffset: 11 },
    });
  });

  it('rejects a header with a duplicate column', async () => {
    const file = project.path('d.csv');
    await writeText(file, 'a,b,a\n1,2,3\n');
    expect(await rowsOf(file).catch((e: unknown) => e)).toMatchObject({
      code: 'E_TABLE_DUPLICATE_COLUMN',
      data: { line: 1, column: 3, name: 'a' },
    });
  });
});

describe('createTable', () => {
  it('quotes what needs quoting so values round-trip, and appears only on commit', async () => {
    const file = project.path('out/w.csv');
    const values = ['plain', 'a,b', 'say "x"', 'two\nlines', ' padded ', '', '汉字'];
    const writer = await createTable(file, ['v']);
    for (const v of values) await writer.write({ v });
    await expect(readdir(project.path('out'))).resolves.not.toContain('w.csv');
    await writer.commit();
    const { rows } = await rowsOf(file);
    expect(rows.map((r) => r.fields?.[0])).toEqual(values);
  });

  it('abort leaves no file behind', async () => {
    const file = project.path('w.jsonl');
    const writer = await createTable(file, ['a']);
    await writer.write({ a: 1 });
    await writer.abort();
    expect(await readdir(project.root)).toEqual([]);
  });
});

describe('writeJsonReport', () => {
  it('writes sorted keys with a trailing newline', async () => {
    const file = project.path('m/report.json');
    await writeJsonReport(file, { b: 1, a: { d: [{ z: 1, y: 2 }], c: null } });
    expect(await readFile(file, 'utf8')).toBe(
      '{\n  "a": {\n    "c": null,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });
});
