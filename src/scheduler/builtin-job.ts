import { Worker } from 'node:worker_threads';
import type { ItemCacheDirs } from '../cache/item-cache.js';
import { DvctsError, interruptionOf, type PlainError } from '../core/errors.js';

/** Everything a worker needs to run one built-in (plain data: it crosses a thread boundary). */
export interface BuiltinJob {
  readonly uses: string;
  /** URL of the built-in's runner module: the worker imports it, it needs no registry. */
  readonly runner: string;
  readonly root: string;
  readonly wdir: string;
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  readonly metrics: readonly string[];
  readonly options: Record<string, unknown>;
  readonly itemCache: ItemCacheDirs;
  /** Shard run of a shardable built-in: fill the per-item cache for these items only. */
  readonly shard?: { readonly index: number; readonly count: number };
}

/** Main thread -> worker: fire the stage context's `signal` (`by`: SIGINT, SIGTERM, abort). */
export type AbortMessage = { readonly type: 'abort'; readonly by: string };

/** How long an aborted built-in has to stop on its own before its thread is terminated. */
const ABORT_GRACE_MS = 5_000;

export type WorkerMessage =
  | { readonly type: 'log'; readonly line: string }
  | { readonly type: 'progress'; readonly done: number; readonly total: number; readonly unit: string }
  | { readonly type: 'done' }
  | { readonly type: 'error'; readonly error: PlainError };

/** Where a running built-in's log lines and progress go. */
export interface BuiltinListener {
  log(line: string): void;
  progress(done: number, total: number, unit: string): void;
}

/**
 * Runs a built-in in a worker thread; rejects with the stage's DvctsError (code and data intact).
 * When `signal` aborts, the built-in's own `ctx.signal` fires (it stops at its next check and
 * aborts its atomic outputs); one that does not stop within the grace period is terminated.
 */
export function runBuiltinInWorker(job: BuiltinJob, listener: BuiltinListener, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const worker = new Worker(new URL('./builtin-worker.js', import.meta.url), { workerData: job });
    const abort = (): void => {
      worker.postMessage({ type: 'abort', by: interruptionOf(signal!) } satisfies AbortMessage);
      setTimeout(() => void worker.terminate(), ABORT_GRACE_MS).unref();
    };
    signal?.addEventListener('abort', abort, { once: true });
    worker.once('exit', () => signal?.removeEventListener('abort', abort));
    let settled = false;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'log') listener.log(m.line);
      else if (m.type === 'progress') listener.progress(m.done, m.total, m.unit);
      else if (m.type === 'done') settled = true;
      else {
        settled = true;
        reject(DvctsError.revive(m.error));
      }
    });
    worker.on('error', (e) => {
      settled = true;
      reject(new DvctsError('E_INTERNAL', `built-in ${job.uses} crashed: ${e.stack ?? e.message}`));
    });
    worker.on('exit', (code) => {
      if (!settled) reject(new DvctsError('E_INTERNAL', `built-in ${job.uses} worker exited with code ${code}`));
      else resolve();
    });
  });
}
