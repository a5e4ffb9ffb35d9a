import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DvctsError } from '../core/errors.js';
import { isObjectId } from '../core/ids.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { RUN_FINGERPRINT_VERSION } from './run-fingerprint.js';
import type { PathInfo } from './types.js';

export { runFingerprint, type RunInputs } from './run-fingerprint.js';

/** One output of a recorded run: where it goes and what it was. */
export interface RunOutput extends PathInfo {
  readonly path: string;
}

/**
 * The run-cache: a stage's fingerprint (see run-fingerprint.ts) -> the outputs that run
 * produced. Reverting a param then restores outputs from the cache instead of running the stage
 * again. Records live in `.dvcts/cache/runs/ab/cdef…` as JSON, written atomically. A missing
 * record is a miss; an unreadable or malformed one is an error, never silently ignored.
 */
export class RunCache {
  constructor(private readonly dir: string) {}

  static of(cacheDir: string): RunCache {
    return new RunCache(join(cacheDir, 'runs'));
  }

  /** Where the record of a fingerprint lives (`runs/ab/cdef…`), present or not. */
  pathOf(fingerprint: string): string {
    return join(this.dir, fingerprint.slice(0, 2), fingerprint.slice(2));
  }

  /** Every fingerprint with a record (temp files of interrupted writes are not records). */
  async fingerprints(): Promise<string[]> {
    const found: string[] = [];
    const prefixes = await readdir(this.dir).catch(() => [] as string[]);
    for (const prefix of prefixes.sort()) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of (await readdir(join(this.dir, prefix))).sort()) if (/^[0-9a-f]{30}$/.test(name)) found.push(prefix + name);
    }
    return found;
  }

  async lookup(fingerprint: string): Promise<readonly RunOutput[] | undefined> {
    const path = this.pathOf(fingerprint);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    const outs = parseRecord(text);
    if (outs === undefined) {
      throw new DvctsError('E_RUN_CACHE_INVALID', `run-cache record ${path} is not a valid record`, {
        data: { path },
        hint: `delete ${path}: the stage then runs again (or run with --no-run-cache)`,
      });
    }
    return outs;
  }

  async record(fingerprint: string, outs: readonly RunOutput[]): Promise<void> {
    const record = { schema: RUN_FINGERPRINT_VERSION, outs: outs.map(({ path, hash, id, size, nfiles }) => ({ path, hash, id, size, ...(nfiles !== undefined ? { nfiles } : {}) })) };
    await writeFileAtomic(this.pathOf(fingerprint), `${JSON.stringify(record, null, 1)}\n`);
  }
}

/** The outputs a record names, or undefined when the text is not a record (records may come from a remote). */
export function parseRecord(text: string): RunOutput[] | undefined {
  let record: unknown;
  try {
    record = JSON.parse(text);
  } catch {
    return undefined;
  }
  const outs = (record as { outs?: unknown } | null)?.outs;
  if (!Array.isArray(outs) || !outs.every(isRunOutput)) return undefined;
  return outs;
}

function isRunOutput(o: unknown): o is RunOutput {
  const r = o as Partial<Record<keyof RunOutput, unknown>> | null;
  return (
    typeof r === 'object' && r !== null && typeof r.path === 'string' && r.hash === 'xxh128' && typeof r.id === 'string' && isObjectId(r.id) &&
    typeof r.size === 'number' && (r.nfiles === undefined || typeof r.nfiles === 'number')
  );
}
