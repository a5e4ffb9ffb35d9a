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
 */
export async function parsedCopy<T>(root: string, kind: string, relPath: string, text: string, parse: () => Promise<T>): Promise<T> {
  // One file name per kind and path: encodeURIComponent leaves no `/`, so the name stays in parsed/.
  const copy = join(root, '.dvcts', 'tmp', 'parsed', `${kind}.${encodeURIComponent(relPath)}.json`);
  try {
    const kept = keptValue(await readFile(copy, 'utf8'), text);
    if (kept !== undefined) return JSON.parse(kept) as T;
  } catch {
    // no copy yet, or a damaged one
  }
  const value = await parse();
  if (isJsonExact(value)) await writeFileAtomic(copy, copyText(text, value)).catch(() => undefined);
  return value;
}

/**
 * A copy's layout: this line, the text's length (UTF-16 units) on a line, the text as it is, then
 * the value as JSON. The text is compared as a slice, not read back from a JSON string: for a
 * 32k-stage lock file (9 MB) unescaping it cost more than parsing the value.
 */
const MAGIC = 'dvcts-parsed-copy 2\n';

export function copyText(text: string, value: unknown): string {
  return `${MAGIC}${text.length}\n${text}${JSON.stringify(value)}`;
}

/** The JSON of the value kept in `copy` when it was made from exactly `text`; else undefined. */
export function keptValue(copy: string, text: string): string | undefined {
  if (!copy.startsWith(MAGIC)) return undefined;
  const newline = copy.indexOf('\n', MAGIC.length);
  const lengthField = copy.slice(MAGIC.length, newline);
  if (newline < 0 || !/^\d+$/.test(lengthField) || Number(lengthField) !== text.length) return undefined;
  const start = newline + 1;
  const end = start + text.length;
  return copy.length > end && copy.slice(start, end) === text ? copy.slice(end) : undefined;
}

/** Whether JSON.stringify of `value` reads back as the same value (no NaN, Infinity, undefined in arrays, class instances). */
export function isJsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => v !== undefined && isJsonExact(v));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every((v) => v === undefined || isJsonExact(v));
  return false;
}
