import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect } from 'vitest';

const GOLDEN_DIR = resolve(import.meta.dirname, 'golden');

/** One case of golden-cases.json: what `npm run golden` ran to write the file. */
export interface GoldenCase {
  readonly name: string;
  readonly input: string;
  readonly dictionary?: string;
  readonly with: Readonly<Record<string, unknown>>;
}

export async function goldenCase(name: string): Promise<GoldenCase> {
  const { cases } = JSON.parse(await readFile(resolve(import.meta.dirname, 'golden-cases.json'), 'utf8')) as { cases: GoldenCase[] };
  const found = cases.find((c) => c.name === name);
  if (!found) throw new Error(`no golden case ${name}`);
  return found;
}

/**
 * Compares `actual` with the committed golden file byte for byte. Tests never write golden
 * files: `npm run golden` regenerates them through the CLI (review the diff before committing).
 */
export async function expectGolden(name: string, actual: Buffer): Promise<void> {
  const path = resolve(GOLDEN_DIR, name);
  const expected = await readFile(path);
  expect(actual.equals(expected), `output differs from golden ${path} (regenerate on purpose with \`npm run golden\`)`).toBe(true);
}
