import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ObjectStore } from '../cache/object-store.js';
import { RunCache } from '../cache/run-cache.js';
import type { ObjectId } from '../core/ids.js';
import type { RemoteBackend } from './backend.js';
import { collectGarbage, type RemoteGcOptions, type RemoteGcResult } from './collect-garbage.js';
import { compareObjects, type ObjectsState } from './compare.js';
import type { ObjectRef, TransferContext, TransferObserver } from './context.js';
import { fetchObjects, type FetchResult } from './fetch.js';
import { LocalBackend } from './local-backend.js';
import { pushObjects, type PushResult } from './push.js';
import { fetchRunCacheEntries, pushRunCacheEntries, type RunCacheTransfer } from './run-cache-transfer.js';
import type { RemoteSpec } from './spec.js';

export type { ObjectRef, TransferObserver } from './context.js';
export type { FetchResult } from './fetch.js';
export type { PushResult } from './push.js';
export type { ObjectsState } from './compare.js';
export type { RemoteGcResult } from './collect-garbage.js';
export type { RunCacheTransfer } from './run-cache-transfer.js';
export type { RemoteSpec, LocalRemoteSpec, S3RemoteSpec } from './spec.js';
export { REMOTE_ERRORS } from './errors.js';

export interface OpenRemoteOptions {
  /** The local cache folder (`.dvcts/cache` of a project, or any scratch folder of a worker). */
  readonly cacheDir: string;
  /** Objects transferred at once; default: the remote's `jobs`, else 4 x cores. */
  readonly jobs?: number;
  readonly observer?: TransferObserver;
}

/** Transfers wait on the network or the disk, not the CPU: several per core (DVC's default too). */
const defaultTransferJobs = (): number => 4 * availableParallelism();

/**
 * A remote bound to a local cache: the whole transfer API, by object id and fingerprint, with
 * no need for a git checkout or a project. `dvcts push/pull/fetch` use it, and so can a worker
 * that materialises a stage's deps into a scratch cache, runs it, and pushes its outputs and
 * run-cache record back.
 */
export class Remote {
  private readonly ctx: TransferContext;
  private readonly runCache: RunCache;

  private constructor(
    // Private: it may hold credentials, and nothing should be tempted to print it.
    private readonly spec: RemoteSpec,
    backend: RemoteBackend,
    opts: OpenRemoteOptions,
    readonly jobs: number,
  ) {
    this.ctx = { backend, store: new ObjectStore(join(opts.cacheDir, 'objects')), jobs, ...(opts.observer ? { observer: opts.observer } : {}) };
    this.runCache = RunCache.of(opts.cacheDir);
  }

  static async open(spec: RemoteSpec, opts: OpenRemoteOptions): Promise<Remote> {
    const jobs = opts.jobs ?? spec.jobs ?? defaultTransferJobs();
    const backend = spec.kind === 'local' ? new LocalBackend(spec) : await (await import('./s3-backend.js')).S3Backend.open(spec, jobs);
    return new Remote(spec, backend, opts, jobs);
  }

  get name(): string {
    return this.spec.name;
  }

  get location(): string {
    return this.spec.location;
  }

  pushObjects(refs: Iterable<ObjectRef | ObjectId>): Promise<PushResult> {
    return pushObjects(this.ctx, refs);
  }

  fetchObjects(refs: Iterable<ObjectRef | ObjectId>): Promise<FetchResult> {
    return fetchObjects(this.ctx, refs);
  }

  compareObjects(refs: Iterable<ObjectRef | ObjectId>): Promise<ObjectsState[]> {
    return compareObjects(this.ctx, refs);
  }

  /** Sends one run-cache record and its outputs; false when an output is missing locally. */
  async pushRunCacheEntry(fingerprint: string): Promise<boolean> {
    return (await pushRunCacheEntries(this.ctx, this.runCache, [fingerprint])).incomplete.length === 0;
  }

  /** Stores one run-cache record and its outputs locally; false when the remote lacks either. */
  async fetchRunCacheEntry(fingerprint: string): Promise<boolean> {
    const result = await fetchRunCacheEntries(this.ctx, this.runCache, [fingerprint]);
    return result.transferred + result.present === 1;
  }

  /** Every local run-cache record the remote lacks (or those of `fingerprints`). */
  pushRunCache(fingerprints?: readonly string[]): Promise<RunCacheTransfer> {
    return pushRunCacheEntries(this.ctx, this.runCache, fingerprints);
  }

  /** Every run-cache record on the remote the local cache lacks (or those of `fingerprints`). */
  fetchRunCache(fingerprints?: readonly string[]): Promise<RunCacheTransfer> {
    return fetchRunCacheEntries(this.ctx, this.runCache, fingerprints);
  }

  collectGarbage(keep: Iterable<ObjectId>, opts: RemoteGcOptions): Promise<RemoteGcResult> {
    return collectGarbage(this.ctx, keep, opts);
  }

  close(): void {
    this.ctx.backend.close();
  }
}
