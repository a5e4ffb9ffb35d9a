import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LockEntry, LockedPath } from '../lockfile/types.js';
import { sortKeysDeep } from '../lockfile/lock-file.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { hashBytes } from './hash.js';

/**
 * The run-cache: a stage's fingerprint (definition, dep ids, param values, built-in version, out
 * paths) -> the outputs that run produced. Reverting a param then restores outputs from the
 * cache instead of running the stage again. Records live in `.dvcts/cache/runs/ab/cdef…` as
 * JSON, written atomically; a corrupt or foreign record is ignored (the stage simply runs).
 */
export class RunCache {
  constructor(private readonly dir: string) {}

  static of(cacheDir: string): RunCache {
    return new RunCache(join(cacheDir, 'runs'));
  }

  /** The fingerprint of a stage about to run: everything its result may depend on. */
  static async fingerprint(entry: Omit<LockEntry, 'outs'>, outPaths: readonly string[]): Promise<string> {
    const canonical = JSON.stringify(
      sortKeysDeep({
        definition: { cmd: entry.cmd ?? null, uses: entry.uses ?? null, with: entry.with ?? null, version: entry.version ?? null },
        deps: entry.deps.map((d) => [d.path, d.hash, d.id]),
        params: entry.params,
        outs: outPaths,
      }),
    );
    return hashBytes(Buffer.from(canonical));
  }

  private pathOf(fingerprint: string): string {
    return join(this.dir, fingerprint.slice(0, 2), fingerprint.slice(2));
  }

  async lookup(fingerprint: string): Promise<readonly LockedPath[] | undefined> {
    try {
      const record = JSON.parse(await readFile(this.pathOf(fingerprint), 'utf8')) as { outs?: unknown };
      return Array.isArray(record.outs) ? (record.outs as LockedPath[]) : undefined;
    } catch {
      return undefined;
    }
  }

  async record(fingerprint: string, outs: readonly LockedPath[]): Promise<void> {
    await writeFileAtomic(this.pathOf(fingerprint), `${JSON.stringify({ outs }, null, 1)}\n`);
  }
}
