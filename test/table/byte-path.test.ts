import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTable } from '../../src/table/index.js';
import { tempProject, writeText } from '../stages/stage-harness.js';

// Quote-free blocks are split at the byte level instead of by papaparse. These tests hold that
// path to papaparse's answer on the whole text: same fields, same starting lines, same rows.

let project: Awaited<ReturnType<typeof tempProject>>;
beforeEach(async () => (project = await tempProject()));
afterEach(async () => project.cleanup());

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const PIECES = ['a', 'bc', ' ', '汉字', 'é', '😀', 'NA', '', '\t', '\r', '12.5'];

function randomTable(seed: number, opts: { rows: number; newline: string; delimiter: string; columns: number }): string {
  const next = lcg(seed);
  const field = (): string => {
    let out = '';
    const n = Math.floor(next() * 4);
    for (let i = 0; i < n; i++) out += PIECES[Math.floor(next() * PIECES.length)] as string;
    // Keep the delimiter and line breaks out of fields: this is the quote-free path.
    return out.replaceAll(opts.delimiter, '_').replaceAll('\r', opts.newline === '\n' ? '\r' : '_');
  };
  const lines = [Array.from({ length: opts.columns }, (_, i) => `c${i}`).join(opts.delimiter)];
  for (let r = 0; r < opts.rows; r++) {
    const roll = next();
    const width = roll < 0.05 ? 0 : roll < 0.1 ? opts.columns + 1 : roll < 0.15 ? opts.columns - 1 : opts.columns; // blank and ragged rows too
    lines.push(Array.from({ length: width }, field).join(opts.delimiter));
  }
  return lines.join(opts.newline);
}

/** What the reader should give: papaparse on the whole text, header and blank lines dropped. */
function expected(text: string, delimiter: string, newline: string): { columns: string[]; rows: [number, string[]][] } {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const data = Papa.parse<string[]>(body, { delimiter, newline: newline as '\n', quoteChar: '"' }).data;
  const rows: [number, string[]][] = [];
  let line = 1;
  let columns: string[] | undefined;
  for (const fields of data) {
    const blank = fields.length === 1 && fields[0] === '';
    if (!columns) {
      if (!blank) columns = fields;
    } else if (!blank || columns.length === 1) rows.push([line, fields]);
    line += 1 + fields.join('').split('\n').length - 1;
  }
  return { columns: columns ?? [], rows };
}

async function actual(path: string): Promise<{ columns: readonly string[]; rows: [number, readonly string[]][] }> {
  const table = await openTable(path);
  const rows: [number, readonly string[]][] = [];
  let mismatches = 0;
  for await (const row of table) {
    // field(i) decodes one field on its own: it must agree with the whole row's fields.
    const oneByOne = Array.from({ length: row.fieldCount ?? 0 }, (_, i) => row.field(i));
    rows.push([row.line, row.fields ?? []]);
    if (oneByOne.join('\u0000') !== (row.fields ?? []).join('\u0000') || oneByOne.length !== row.fields?.length) mismatches++;
  }
  expect(mismatches).toBe(0);
  return { columns: table.columns, rows };
}

describe('quote-free byte path', () => {
  const cases = [
    { name: 'LF, CSV, ends with a line break', newline: '\n', delimiter: ',', bom: false, finalBreak: true },
    { name: 'CRLF, TSV, BOM, last line without a break', newline: '\r\n', delimiter: '\t', bom: true, finalBreak: false },
    { name: 'LF, CSV, BOM, no final break', newline: '\n', delimiter: ',', bom: true, finalBreak: false },
  ];
  for (const [k, c] of cases.entries()) {
    it(`matches papaparse across 1 MiB blocks: ${c.name}`, async () => {
      const file = project.path(`t.${c.delimiter === ',' ? 'csv' : 'tsv'}`);
      const body = randomTable(k + 1, { rows: 140_000, newline: c.newline, delimiter: c.delimiter, columns: 4 });
      const text = `${c.bom ? '\uFEFF' : ''}${body}${c.finalBreak ? c.newline : ''}`;
      await writeText(file, text);
      const want = expected(text, c.delimiter, c.newline);
      expect(Buffer.byteLength(text)).toBeGreaterThan(2 << 20);
      expect(await actual(file)).toEqual(want);
    });
  }

  it('switches between byte-split and quoted blocks without losing lines', async () => {
    const file = project.path('mixed.csv');
    const plain = randomTable(9, { rows: 20_000, newline: '\n', delimiter: ',', columns: 3 });
    const quoted = Array.from({ length: 3000 }, (_, i) => `${i},"multi\nline ""${i}""",x`).join('\n');
    const text = `${plain}\n${quoted}\n${plain.slice(plain.indexOf('\n') + 1)}\n`;
    await writeText(file, text);
    expect(await actual(file)).toEqual(expected(text, ',', '\n'));
  });

  it('reads a lone LF inside a CRLF file as papaparse does: part of the field', async () => {
    const file = project.path('lone.csv');
    const text = 'a,b\r\n1,x\ny\r\n2,z\r\n';
    await writeText(file, text);
    expect(await actual(file)).toEqual({ columns: ['a', 'b'], rows: [[2, ['1', 'x\ny']], [4, ['2', 'z']]] });
  });
});
