import { createAtomicFile } from './atomic-file.js';

/**
 * Writes a stage's JSON report: keys sorted at every level (so the same run gives the same
 * bytes), 2-space indent, trailing newline, atomically. `path` undefined = nowhere to write.
 */
export async function writeJsonReport(path: string | undefined, report: object): Promise<void> {
  if (path === undefined) return;
  const file = await createAtomicFile(path);
  try {
    await file.write(`${JSON.stringify(sortKeys(report), null, 2)}\n`);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
}

/** The first `.json` path among a stage's metrics files: where its report goes. */
export function reportPathOf(metrics: readonly string[]): string | undefined {
  return metrics.find((m) => m.toLowerCase().endsWith('.json'));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}
