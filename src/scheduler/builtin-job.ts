import { Worker } from 'node:worker_threads';
import { DvctsError, type PlainError } from '../core/errors.js';

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
  readonly cacheDir: string;
}

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

/** Runs a built-in in a worker thread; rejects with the stage's DvctsError (code and data intact). */
export function runBuiltinInWorker(job: BuiltinJob, listener: BuiltinListener): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./builtin-worker.js', import.meta.url), { workerData: job });
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
