import { dirname, join } from 'node:path';
import type { StageSpec } from '../core/spec.js';
import { readLockFile, writeLockFile } from '../lockfile/lock-file.js';
import type { LockEntry } from '../lockfile/types.js';
import { sweepStaleTemps } from '../util/atomic-write.js';

/**
 * The lock files of a project, loaded once per command. Writes go one at a time per file (stages
 * of one pipeline may finish together), each rewriting the whole file atomically, and drop
 * entries of stages that the pipeline no longer defines. A record made while a write waits for
 * its turn joins that write (it writes the entries as they are when it starts): a write per
 * stage, each rewriting the whole file, made `repro` of 2k generated stages quadratic (190 s).
 */
export class LockFiles {
  private readonly entries = new Map<string, Map<string, LockEntry>>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly waiting = new Map<string, Promise<void>>();

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
    const lockFile = stage.lockFile;
    const file = this.entries.get(lockFile)!;
    file.set(stage.name, entry);
    const waiting = this.waiting.get(lockFile);
    if (waiting !== undefined) return waiting;
    const known = this.stageNames.get(lockFile)!;
    const previous = this.writes.get(lockFile) ?? Promise.resolve();
    const next = previous.then(() => {
      this.waiting.delete(lockFile);
      return writeLockFile(this.root, lockFile, new Map([...file].filter(([name]) => known.has(name))));
    });
    this.waiting.set(lockFile, next);
    this.writes.set(lockFile, next);
    return next;
  }
}
