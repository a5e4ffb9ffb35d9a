import { dirname, join } from 'node:path';
import type { StageSpec } from '../core/spec.js';
import { readLockFile, writeLockFile } from '../lockfile/lock-file.js';
import type { LockEntry } from '../lockfile/types.js';
import { sweepStaleTemps } from '../util/atomic-write.js';

/**
 * The lock files of a project, loaded once per command. Writes go one at a time per file (stages
 * of one pipeline may finish together), each rewriting the whole file atomically, and drop
 * entries of stages that the pipeline no longer defines.
 */
export class LockFiles {
  private readonly entries = new Map<string, Map<string, LockEntry>>();
  private readonly writes = new Map<string, Promise<void>>();

  private constructor(
    private readonly root: string,
    private readonly stageNames: ReadonlyMap<string, ReadonlySet<string>>,
  ) {}

  static async load(root: string, stages: readonly StageSpec[]): Promise<LockFiles> {
    const names = new Map<string, Set<string>>();
    for (const s of stages) {
      if (!names.has(s.lockFile)) names.set(s.lockFile, new Set());
      names.get(s.lockFile)!.add(s.name);
    }
    const files = new LockFiles(root, names);
    for (const lockFile of names.keys()) {
      files.entries.set(lockFile, new Map(await readLockFile(root, lockFile)));
      await sweepStaleTemps(dirname(join(root, lockFile)));
    }
    return files;
  }

  get(stage: StageSpec): LockEntry | undefined {
    return this.entries.get(stage.lockFile)?.get(stage.name);
  }

  record(stage: StageSpec, entry: LockEntry): Promise<void> {
    const file = this.entries.get(stage.lockFile)!;
    file.set(stage.name, entry);
    const known = this.stageNames.get(stage.lockFile)!;
    const previous = this.writes.get(stage.lockFile) ?? Promise.resolve();
    const next = previous.then(() =>
      writeLockFile(this.root, stage.lockFile, new Map([...file].filter(([name]) => known.has(name)))),
    );
    this.writes.set(stage.lockFile, next);
    return next;
  }
}
