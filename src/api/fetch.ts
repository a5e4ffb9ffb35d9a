import { resolve } from 'node:path';
import type { DvctsError } from '../core/errors.js';
import { objectsCorruptError, objectsMissingOnRemoteError, type RemoteLabel } from '../remote/errors.js';
import type { FetchResult, RunCacheTransfer } from '../remote/index.js';
import { checkoutLocked, type CheckoutResult } from './checkout.js';
import { findProjectRoot } from './project.js';
import { openProjectRemote, type RemoteChoice } from './project-remote.js';
import type { TrackedOutput } from './references.js';
import { acquireRepoLock } from './repo-lock.js';
import { outputsToTransfer, refsOf, type TransferScope } from './transfer-scope.js';

export interface FetchOptions extends TransferScope, RemoteChoice {
  /** Also fetch every run-cache record on the remote (and the outputs they name). */
  readonly runCache?: boolean;
  readonly wait?: boolean;
  onWait?(holder: string): void;
}

export interface FetchSummary extends FetchResult {
  readonly remote: RemoteLabel;
  readonly skipped: readonly { path: string; reason: string }[];
  readonly runCache?: RunCacheTransfer;
}

export interface PullOptions extends FetchOptions {
  /** Overwrite unrecorded workspace changes (saved to the cache first), as `checkout --force`. */
  readonly force?: boolean;
}

export interface PullSummary extends FetchSummary {
  readonly checkout: CheckoutResult;
}

/**
 * `dvcts fetch`: brings the data the pointer and lock files record into the cache, each object
 * re-hashed before it is stored. Objects the remote lacks or holds corrupt are E_REMOTE_OBJECT_MISSING
 * / E_REMOTE_OBJECT_CORRUPT after everything else was fetched.
 */
export async function fetch(opts: FetchOptions = {}): Promise<FetchSummary> {
  return withProjectLock(opts, 'fetch', async (root, cwd) => {
    const { summary, incomplete } = await fetchLocked(root, cwd, opts, 'fetch');
    if (incomplete.length > 0) throw fetchFailure(summary, incomplete, '');
    return summary;
  });
}

/**
 * `dvcts pull`: fetch, then checkout (with `rev`: `checkout --rev`, HEAD stays). Outputs whose data could not all be fetched are left as
 * they are, the others are checked out, and then the failure is reported.
 */
export async function pull(opts: PullOptions = {}): Promise<PullSummary> {
  return withProjectLock(opts, 'pull', async (root, cwd) => {
    const { summary, complete, incomplete } = await fetchLocked(root, cwd, opts, 'pull');
    const targets = incomplete.length === 0 ? (opts.targets ?? []) : complete.map((o) => o.path);
    const checkout =
      incomplete.length > 0 && complete.length === 0
        ? { restored: [], unchanged: [], skipped: [], overwritten: [], problems: [], sources: new Map() }
        : await checkoutLocked(root, cwd, { targets, force: opts.force ?? false, ...(opts.rev !== undefined ? { rev: opts.rev } : {}) });
    if (incomplete.length > 0) throw fetchFailure(summary, incomplete, ` (the other outputs were checked out: ${checkout.restored.length} restored)`);
    return { ...summary, checkout };
  });
}

async function withProjectLock<T>(opts: FetchOptions, command: string, work: (root: string, cwd: string) => Promise<T>): Promise<T> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const root = findProjectRoot(cwd);
  const lock = await acquireRepoLock(root, { wait: opts.wait ?? true, command, ...(opts.onWait ? { onWait: opts.onWait } : {}) });
  try {
    return await work(root, cwd);
  } finally {
    await lock.release();
  }
}

async function fetchLocked(root: string, cwd: string, opts: FetchOptions, command: string): Promise<{ summary: FetchSummary; complete: TrackedOutput[]; incomplete: TrackedOutput[] }> {
  const { outputs, skipped } = await outputsToTransfer(root, cwd, opts, command);
  const remote = await openProjectRemote(root, opts);
  try {
    const result = await remote.fetchObjects(refsOf(outputs));
    const runCache = opts.runCache ? await remote.fetchRunCache() : undefined;
    const lacking = new Set<string>(result.incomplete);
    const summary = { ...result, remote: { name: remote.name, location: remote.location }, skipped, ...(runCache !== undefined ? { runCache } : {}) };
    return { summary, complete: outputs.filter((o) => !lacking.has(o.info.id)), incomplete: outputs.filter((o) => lacking.has(o.info.id)) };
  } finally {
    remote.close();
  }
}

/** Corrupt objects are the graver news; both errors name every incomplete output. */
function fetchFailure(summary: FetchSummary, incomplete: readonly TrackedOutput[], note: string): DvctsError {
  const outputs = { paths: incomplete.map((o) => o.path), note };
  if (summary.corrupt.length > 0) return objectsCorruptError(summary.remote, summary.corrupt, outputs);
  return objectsMissingOnRemoteError(summary.remote, incomplete.map((o) => ({ id: o.info.id, path: o.path })), outputs);
}
