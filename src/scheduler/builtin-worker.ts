import { parentPort, workerData } from 'node:worker_threads';
import { openItemCache } from '../cache/item-cache.js';
import { DvctsError, interruptedError, isDvctsError } from '../core/errors.js';
import { loadRunner } from '../core/builtin.js';
import type { AbortMessage, BuiltinJob, WorkerMessage } from './builtin-job.js';

/**
 * Runs one built-in stage in a worker thread, so CPU-heavy built-ins run in parallel with each
 * other and never stall the scheduler. Logs and the outcome go back as messages.
 */
const job = workerData as BuiltinJob;
const post = (m: WorkerMessage): void => parentPort!.postMessage(m);

// Ctrl-C / SIGTERM in the main thread: the built-in's signal fires. Listening keeps the thread
// alive (a built-in may wait for nothing but its signal); the listener goes once the built-in is done.
const aborter = new AbortController();
const onAbort = (m: AbortMessage): void => {
  if (m.type === 'abort') aborter.abort(interruptedError(m.by, `while running ${job.uses}`));
};
parentPort!.on('message', onAbort);

/** Progress messages sent at most this often (a stage may report every row), plus the last one. */
const PROGRESS_EVERY_MS = 100;
let lastProgressAt = 0;
function progress(done: number, total: number, unit: string): void {
  const now = Date.now();
  if ((total === 0 || done < total) && now - lastProgressAt < PROGRESS_EVERY_MS) return;
  lastProgressAt = now;
  post({ type: 'progress', done, total, unit });
}

async function main(): Promise<void> {
  const runner = await loadRunner(job.runner);
  await runner.run({
    root: job.root,
    wdir: job.wdir,
    deps: job.deps,
    outs: job.outs,
    metrics: job.metrics,
    options: job.options,
    log: (line) => post({ type: 'log', line }),
    progress,
    itemCache: openItemCache(job.itemCache),
    signal: aborter.signal,
    ...(job.shard ? { shard: job.shard } : {}),
  });
}

main()
  .then(
    () => post({ type: 'done' }),
    (e: unknown) =>
      post({
        type: 'error',
        error: (isDvctsError(e) ? e : new DvctsError('E_INTERNAL', e instanceof Error ? (e.stack ?? e.message) : String(e))).toPlain(),
      }),
  )
  .finally(() => parentPort!.off('message', onAbort));
