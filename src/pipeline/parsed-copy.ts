import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * A parse result kept as JSON with the exact text it came from, under `.dvcts/tmp/parsed/`, so an
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
    const kept = JSON.parse(await readFile(copy, 'utf8')) as { text?: unknown; value?: T };
    if (kept.text === text) return kept.value as T;
  } catch {
    // no copy yet, or a damaged one
  }
  const value = await parse();
  if (isJsonExact(value)) await writeFileAtomic(copy, JSON.stringify({ text, value })).catch(() => undefined);
  return value;
}

/** Whether JSON.stringify of `value` reads back as the same value (no NaN, Infinity, undefined in arrays, class instances). */
export function isJsonExact(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => v !== undefined && isJsonExact(v));
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) return Object.values(value).every((v) => v === undefined || isJsonExact(v));
  return false;
}
