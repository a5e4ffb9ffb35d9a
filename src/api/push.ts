import { resolve } from 'node:path';
import type { RemoteLabel } from '../remote/errors.js';
import type { PushResult, RunCacheTransfer } from '../remote/index.js';
import { findProjectRoot } from './project.js';
import { openProjectRemote, type RemoteChoice } from './project-remote.js';
import type { TrackedOutput } from './references.js';
import { acquireRepoLock } from './repo-lock.js';
import { outputsToTransfer, refsOf, type TransferScope } from './transfer-scope.js';

export interface PushOptions extends TransferScope, RemoteChoice {
  /** Also send the run-cache records (and the outputs they name) that the remote lacks. */
  readonly runCache?: boolean;
  readonly wait?: boolean;
  onWait?(holder: string): void;
}

export interface PushSummary extends PushResult {
  readonly remote: RemoteLabel;
  /** Outputs whose data is not (completely) in the local cache: nothing or only part was sent. */
  readonly notInCache: readonly TrackedOutput[];
  readonly skipped: readonly { path: string; reason: string }[];
  readonly runCache?: RunCacheTransfer;
}

/**
 * `dvcts push`: sends the data that the pointer and lock files record (of the work tree, or of
 * every commit in a scope) and, with `runCache`, the run-cache, to a remote. Only what the remote
 * lacks is sent, so an interrupted push resumes where it stopped.
 */
export async function push(opts: PushOptions = {}): Promise<PushSummary> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const root = findProjectRoot(cwd);
  const lock = await acquireRepoLock(root, { wait: opts.wait ?? true, command: 'push', ...(opts.onWait ? { onWait: opts.onWait } : {}) });
  try {
    const { outputs, skipped } = await outputsToTransfer(root, cwd, opts, 'push');
    const remote = await openProjectRemote(root, opts);
    try {
      const result = await remote.pushObjects(refsOf(outputs));
      const incomplete = new Set<string>(result.incomplete);
      const runCache = opts.runCache ? await remote.pushRunCache() : undefined;
      return {
        ...result,
        remote: { name: remote.name, location: remote.location },
        notInCache: outputs.filter((o) => incomplete.has(o.info.id)),
        skipped,
        ...(runCache !== undefined ? { runCache } : {}),
      };
    } finally {
      remote.close();
    }
  } finally {
    await lock.release();
  }
}
