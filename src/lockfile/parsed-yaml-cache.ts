import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseYamlValue, type YamlFailure } from '../pipeline/safe-yaml.js';
import { writeFileAtomic } from '../util/atomic-write.js';

/**
 * YAML parsing is the slowest part of a no-op `status` on a big project (a 3,000-line lock file
 * takes ~100 ms cold). A text parsed before is read back from a JSON copy under
 * `.dvcts/tmp/parsed/`, stored with the text itself so a changed file can never be misread.
 * The copy is disposable: any problem with it means "parse again".
 */
export async function parseYamlCached(root: string, relPath: string, text: string, failure: YamlFailure): Promise<unknown> {
  const copy = join(root, '.dvcts', 'tmp', 'parsed', `${encodeURIComponent(relPath)}.json`);
  try {
    const cached = JSON.parse(await readFile(copy, 'utf8')) as { text?: unknown; value?: unknown };
    if (cached.text === text) return cached.value;
  } catch {
    // no copy yet, or a damaged one
  }
  const value: unknown = parseYamlValue(text, relPath, failure); // throws on invalid or unsafe YAML: callers report it
  if (isJsonSafe(value)) await writeFileAtomic(copy, JSON.stringify({ text, value })).catch(() => undefined);
  return value;
}

/** JSON cannot hold NaN/Infinity (YAML's .nan/.inf): such documents are simply not cached. */
function isJsonSafe(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonSafe);
  if (value !== null && typeof value === 'object') return Object.values(value).every(isJsonSafe);
  return true;
}
