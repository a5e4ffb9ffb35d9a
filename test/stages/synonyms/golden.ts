import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const GOLDEN_DIR = resolve(import.meta.dirname, 'golden');

/**
 * Compares `actual` with the committed golden file byte for byte. UPDATE_GOLDEN=1 rewrites the
 * file instead (review the diff before committing it).
 */
export async function expectGolden(name: string, actual: Buffer): Promise<void> {
  const path = resolve(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') await writeFile(path, actual);
  const expected = await readFile(path);
  expect(actual.equals(expected), `output differs from golden ${path}`).toBe(true);
}
