import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DvctsError, ExitCode } from '../core/errors.js';
import { QueueWorker, type WorkerEvent } from '../executor/queue-worker.js';
import { queueAddress } from '../executor/redis-connection.js';
import { workerCacheDir } from '../executor/run-job.js';
import { queueSecret } from '../executor/signing.js';
import { Remote } from '../remote/index.js';
import { remoteSpecOf } from '../remote/spec.js';
import { builtins as defaultBuiltins, type ProjectOptions } from './builtins.js';
import { DEFAULT_QUEUE_NAME } from './repro-executor.js';

export interface WorkerOptions extends Pick<ProjectOptions, 'builtins'> {
  /** The queue's Redis URL (`redis://[:PASSWORD@]HOST:PORT`, `rediss://` for TLS). */
  readonly queue: string;
  readonly queueName?: string;
  /** The shared remote: a folder, or s3://bucket/prefix (credentials from the AWS environment). */
  readonly remote: string;
  /** An S3-compatible server for an s3:// remote (MinIO, Ceph, ...). */
  readonly remoteEndpoint?: string;
  /** Jobs at once (default 1). */
  readonly concurrency?: number;
  /** Shown in the coordinator's log as `[stage@NAME]` (default: host-pid). */
  readonly name?: string;
  /** The worker's cache and job workspaces (default: a folder in the system's temp folder). */
  readonly scratch?: string;
  readonly builtinsOnly?: boolean;
  /** How long a silent worker keeps its jobs before the others take them (default 30 s). */
  readonly lockMs?: number;
  readonly onEvent?: (event: WorkerEvent) => void;
}

export interface RunningWorker {
  readonly name: string;
  readonly scratch: string;
  /** `finish`: take no new job and finish the running ones; `hand-back`: return them to the queue. */
  stop(how: 'finish' | 'hand-back'): Promise<void>;
}

const DEFAULT_LOCK_MS = 30_000;

/** `dvcts worker`: connects to the queue and runs jobs until stopped. Needs no project. */
export async function startWorker(opts: WorkerOptions): Promise<RunningWorker> {
  const secret = queueSecret();
  const queue = queueAddress(opts.queue);
  const name = opts.name ?? `${hostname()}-${process.pid}`;
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
    throw new DvctsError('E_USAGE', `worker name '${name}' may hold only letters, digits and . _ - (at most 64)`, { exitCode: ExitCode.usage });
  }
  const scratch = resolve(opts.scratch ?? join(tmpdir(), `dvcts-worker-${name}`));
  const settings = opts.remoteEndpoint !== undefined ? { url: opts.remote, endpoint: opts.remoteEndpoint } : { url: opts.remote };
  const spec = remoteSpecOf('worker', settings, process.cwd(), '--remote');
  const remote = await Remote.open(spec, { cacheDir: workerCacheDir({ scratch }) });
  try {
    const worker = await QueueWorker.start({
      name,
      scratch,
      remote,
      builtins: opts.builtins ?? defaultBuiltins,
      builtinsOnly: opts.builtinsOnly ?? false,
      queue,
      queueName: opts.queueName ?? DEFAULT_QUEUE_NAME,
      concurrency: opts.concurrency ?? 1,
      secret,
      lockMs: opts.lockMs ?? DEFAULT_LOCK_MS,
      onEvent: opts.onEvent ?? (() => {}),
    });
    return {
      name,
      scratch,
      stop: async (how) => {
        try {
          await worker.stop(how);
        } finally {
          remote.close();
        }
      },
    };
  } catch (e) {
    remote.close();
    throw e;
  }
}
