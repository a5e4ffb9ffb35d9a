import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * A parse result kept with the exact text it came from, under `.dvcts/tmp/parsed/`, so an
 * unchanged config, pointer, lock or params file is not parsed again. Loading the YAML library
 * and parsing a 3,000-line lock file cost ~100 ms; the library alone is ~20 ms of every start
 * (a no-op `status` of a tracked folder never loads it now). Callers load their parser inside
 * `parse`, so that it is loaded only on a miss.
 *
 * The copy is disposable: a missing, damaged or stale one means "parse again", and one that
 * cannot be written is skipped. `parse` may throw (invalid input): nothing is kept then. A
 * value JSON cannot hold exactly (NaN, Infinity, ...) is not kept either.
 *
 * The source may be given as the file's bytes: then it is compared byte for byte and decoded
 * only on a miss (a 32k-stage lock file is 9 MB: decoding and comparing it as text cost ~35 ms).
 */
export async function parsedCopy<T>(root: string, kind: string, relPath: string, source: string | Buffer, parse: () => Promise<T>): Promise<T> {
  // One file name per kind and path: encodeURIComponent leaves no `/`, so the name stays in parsed/.
  const copy = join(root, '.dvcts', 'tmp', 'parsed', `${kind}.${encodeURIComponent(relPath)}.json`);
  const bytes = typeof source === 'string' ? Buffer.from(source, 'utf8') : source;
  try {
    const kept = keptValue(await readFile(copy), bytes);
    if (kept !== undefined) return JSON.parse(kept) as T;
  } catch {
    // no copy yet, or a damaged one
  }
  const value = await parse();
  if (isJsonExact(value)) await writeFileAtomic(copy, copyBytes(bytes, value)).catch(() => undefined);
  return value;
}

/**
 * A copy's layout: this line, the source's length in bytes on a line, the source's bytes as they
 * are, then the value as JSON (UTF-8).
 */
const MAGIC = Buffer.from('dvcts-parsed-copy 3\n');
const NEWLINE = 0x0a;

export function copyBytes(source: Buffer, value: unknown): Buffer {
  return Buffer.concat([MAGIC, Buffer.from(`${source.length}\n`), source, Buffer.from(JSON.stringify(value), 'utf8')]);
}

/** The JSON of the value kept in `copy` when it was made from exactly `source`; else undefined. */
export function keptValue(copy: Buffer, source: Buffer): string | undefined {
  if (copy.length < MAGIC.length || !copy.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const newline = copy.indexOf(NEWLINE, MAGIC.length);
  const lengthField = newline < 0 ? '' : copy.toString('latin1', MAGIC.length, newline);
  if (!/^\d+$/.test(lengthField) || Number(lengthField) !== source.length) return undefined;
  const start = newline + 1;
  const end = start + source.length;
  return copy.length > end && copy.subarray(start, end).equals(source) ? copy.toString('utf8', end) : undefined;
}

/** Whether JSON.stringify of `value` reads back as the same value (no NaN, Infinity, undefined in arrays, class instances). */
export function isJsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => v !== undefined && isJsonExact(v));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every((v) => v === undefined || isJsonExact(v));
  return false;
}
