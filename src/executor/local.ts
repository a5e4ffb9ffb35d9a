import { join } from 'node:path';
import type { Cache } from '../cache/index.js';
import type { ItemCacheDirs } from '../cache/item-cache.js';
import { DvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import type { LockedPath } from '../lockfile/types.js';
import { runBuiltinInWorker } from '../scheduler/builtin-job.js';
import type { Action, ActionListener, Executor } from '../scheduler/executor.js';
import { runShell } from '../scheduler/run-shell.js';
import { prepareOutputs, saveOutputs } from '../scheduler/stage-outputs.js';

/** Where the local executor runs actions: a project, or a worker's scratch workspace. */
export interface LocalPlace {
  /** The workspace root: stage paths are relative to it. */
  readonly root: string;
  readonly cache: Cache;
  /** The per-item cache built-ins get (a worker gives shard runs a private one). */
  readonly itemCache: ItemCacheDirs;
}

/**
 * Runs an action here: a `cmd:` in /bin/sh, a built-in in a worker thread. Previous outputs are
 * removed first (unless persist or rebuilt by the built-in); afterwards every output must exist
 * and is hashed, and stored in the cache as the lock file will record it.
 */
export class LocalExecutor implements Executor {
  constructor(private readonly place: LocalPlace) {}

  async run(action: Action, listener: ActionListener, signal?: AbortSignal): Promise<readonly LockedPath[]> {
    const { root, cache } = this.place;
    await prepareOutputs(root, action.stage);
    await this.runCommand(action.stage, listener, undefined, signal);
    return saveOutputs(root, action.stage, cache, action.fingerprint !== undefined);
  }

  /** Runs the stage's command or built-in in place, without touching its outputs before or after. */
  async runCommand(stage: StageSpec, listener: ActionListener, shard?: { index: number; count: number }, signal?: AbortSignal): Promise<void> {
    const { root } = this.place;
    const wdir = join(root, stage.wdir);
    if (stage.uses === undefined) {
      const env = { ...process.env, DVCTS_ROOT: root, DVCTS_STAGE: stage.name };
      await runShell({ commands: stage.cmd ?? [], cwd: wdir, env, log: (line, stream) => listener.log(line, stream), ...(signal ? { signal } : {}) });
      return;
    }
    const abs = (paths: readonly { path: string }[]): string[] => paths.map((p) => join(root, p.path));
    if (stage.builtin === undefined) throw new DvctsError('E_INTERNAL', `stage "${stage.name}" is not bound to its built-in "${stage.uses}"`);
    await runBuiltinInWorker(
      {
        uses: stage.uses,
        runner: stage.builtin.runner,
        root,
        wdir,
        deps: abs(stage.deps),
        outs: abs(stage.outs.filter((o) => o.kind !== 'metric')),
        metrics: abs(stage.outs.filter((o) => o.kind === 'metric')),
        options: { ...(stage.with ?? {}) },
        itemCache: this.place.itemCache,
        ...(shard ? { shard } : {}),
      },
      { log: (line) => listener.log(line, 'stdout'), progress: (done, total, unit) => listener.progress(done, total, unit) },
      signal,
    );
  }

  async close(): Promise<void> {}
}
