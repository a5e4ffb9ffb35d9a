import { isWithin } from '../graph/paths.js';
import { manifestId, serializeManifest, type Cache } from '../cache/index.js';
import type { StageSpec } from '../core/spec.js';
import type { Observed } from '../lockfile/stale.js';
import { lockedPath } from '../lockfile/observe.js';
import type { LockedPath } from '../lockfile/types.js';

/** A dep inside a restored folder that the folder does not hold. */
const ABSENT = Symbol('absent');

/**
 * What `repro --dry` predicts for the stages it has decided, so that a stage is judged as the real
 * run would judge it once its upstream has finished. Nothing runs in a dry run, so the workspace
 * still holds the old outputs of a stage that would run: a stage downstream of it would run
 * "after upstream" (its new outputs cannot be known without running it). A stage restored from
 * the run-cache (or a frozen stage's deleted output restored from the cache) has known outputs:
 * downstream deps that equal them, or lie inside them, are judged by those ids, exactly.
 */
export class DryPlan {
  /** Stages that would run: their outputs are unknown until they do. */
  private readonly running = new Set<string>();
  /** Output path -> the version a restore would put there. */
  private readonly restored = new Map<string, LockedPath>();
  /** Stage ids whose restored outputs are in `restored`. */
  private readonly restoring = new Set<string>();

  constructor(
    private readonly upstream: ReadonlyMap<string, readonly string[]>,
    private readonly cache: Pick<Cache, 'readManifest'>,
  ) {}

  willRun(stage: StageSpec): void {
    this.running.add(stage.id);
  }

  willRestore(stage: StageSpec, outs: readonly LockedPath[]): void {
    this.restoring.add(stage.id);
    for (const out of outs) this.restored.set(out.path, out);
  }

  /**
   * How `stage` will look when its turn comes: deps inside restored outputs take the restored
   * ids, and `after` names the upstream stages whose effect cannot be known without running them
   * (those that would run, and a restore into a folder that a dep holds: its id is not computed).
   */
  async judge(stage: StageSpec, now: Observed): Promise<{ now: Observed; after: string[] }> {
    const upstream = this.upstream.get(stage.id) ?? [];
    const after = upstream.filter((id) => this.running.has(id));
    if (!upstream.some((id) => this.restoring.has(id))) return { now, after };
    const missing = new Set(now.missing);
    const deps: LockedPath[] = [];
    for (const dep of now.entry.deps) {
      const predicted = await this.predict(dep.path);
      if (predicted === null) return { now, after: upstream.filter((id) => this.running.has(id) || this.restoring.has(id)) };
      if (predicted === undefined) deps.push(dep);
      else if (predicted === ABSENT) {
        deps.push(lockedPath(dep.path, undefined));
        missing.add(dep.path);
      } else {
        deps.push(predicted);
        missing.delete(dep.path);
      }
    }
    return { now: { entry: { ...now.entry, deps }, missing }, after };
  }

  /** The restored version of `path`; undefined when no restore touches it; null when it cannot be told. */
  private async predict(path: string): Promise<LockedPath | typeof ABSENT | undefined | null> {
    for (const [outPath, out] of this.restored) {
      if (path === outPath) return out;
      if (isWithin(outPath, path)) return null;
      if (isWithin(path, outPath) && out.nfiles !== undefined) return this.insideFolder(path, outPath, out);
    }
    return undefined;
  }

  /** A file or subfolder inside a restored folder, from the folder's manifest. */
  private async insideFolder(path: string, outPath: string, out: LockedPath): Promise<LockedPath | typeof ABSENT> {
    const rel = path.slice(outPath.length + 1);
    const entries = await this.cache.readManifest(out.id);
    const file = entries.find((e) => e.path === rel);
    if (file !== undefined) return { path, hash: out.hash, id: file.id, size: file.size };
    const inner = entries.filter((e) => e.path.startsWith(`${rel}/`)).map((e) => ({ ...e, path: e.path.slice(rel.length + 1) }));
    if (inner.length === 0) return ABSENT;
    const id = await manifestId(serializeManifest(inner));
    return { path, hash: out.hash, id, size: inner.reduce((sum, e) => sum + e.size, 0), nfiles: inner.length };
  }
}
