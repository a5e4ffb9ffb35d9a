import { DvctsError } from '../core/errors.js';
import { utf8LineBlocks } from './text-chunks.js';

export interface ParsedJsonRecord {
  readonly record: Record<string, unknown>;
  readonly line: number;
}

/** Streams the records of a JSON Lines file, one batch per chunk; blank lines are skipped (and counted). */
export async function* jsonlBatches(path: string, maxLineBytes?: number): AsyncGenerator<ParsedJsonRecord[]> {
  let pending = '';
  let line = 0;
  let byteOffset = 0;

  function parseLines(text: string, isLast: boolean): ParsedJsonRecord[] {
    const batch: ParsedJsonRecord[] = [];
    let start = 0;
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (lf === -1 && !isLast) break;
      const end = lf === -1 ? text.length : lf;
      const raw = text.slice(start, end);
      line++;
      const record = parseLine(path, raw, line, byteOffset);
      byteOffset += Buffer.byteLength(raw) + (lf === -1 ? 0 : 1);
      if (record) batch.push({ record, line });
      if (lf === -1) break;
      start = lf + 1;
    }
    pending = isLast ? '' : text.slice(start);
    return batch;
  }

  for await (const block of utf8LineBlocks(path, maxLineBytes)) {
    const batch = parseLines(pending + block.text, false);
    if (batch.length > 0) yield batch;
  }
  if (pending.length > 0) yield parseLines(pending, true);
}

function parseLine(path: string, raw: string, line: number, byteOffset: number): Record<string, unknown> | undefined {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new DvctsError('E_TABLE_JSON_INVALID', `${path}:${line}: not valid JSON (${(e as Error).message})`, {
      data: { file: path, line, byteOffset },
      hint: 'each line of a .jsonl file must be one complete JSON object',
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DvctsError('E_TABLE_JSONL_NOT_OBJECT', `${path}:${line}: a JSON Lines row must be an object`, {
      data: { file: path, line, byteOffset },
      hint: 'write each row as {"column": value, ...}',
    });
  }
  return value as Record<string, unknown>;
}
