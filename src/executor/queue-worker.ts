import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import { DvctsError } from '../core/errors.js';
import { encodeFailure, type JobBody } from './job.js';
import { JobLog } from './job-log.js';
import { closeRedis, connectRedis, type QueueAddress } from './redis-connection.js';
import { JobError, runJob, type WorkerSetup } from './run-job.js';
import { sign, verified } from './signing.js';
import { untilAborted } from './until-aborted.js';

export interface QueueWorkerOptions extends WorkerSetup {
  readonly queue: QueueAddress;
  readonly queueName: string;
  /** Jobs run at once. */
  readonly concurrency: number;
  readonly secret: Buffer;
  /**
   * A worker renews its hold on a running job every half of this; a worker that stops (killed,
   * cut off) loses its jobs to the others this long after its last renewal.
   */
  readonly lockMs: number;
  readonly onEvent: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { readonly type: 'job-started'; readonly job: string; readonly stage: string; readonly shard?: string }
  | { readonly type: 'job-done'; readonly job: string; readonly stage: string; readonly ms: number }
  | { readonly type: 'job-failed'; readonly job: string; readonly stage: string; readonly code: string; readonly message: string; readonly retry: boolean }
  | { readonly type: 'job-handed-back'; readonly job: string; readonly stage: string }
  | { readonly type: 'connection-error'; readonly message: string };

/**
 * `dvcts worker`: takes jobs from the queue, `concurrency` at a time, and runs each with runJob.
 * Only jobs signed with the shared secret run. `stop('finish')` takes no new job and waits for the
 * running ones; `stop('hand-back')` puts the running ones back in the queue for another worker.
 */
export class QueueWorker {
  private handingBack = false;

  private constructor(
    private readonly worker: Worker,
    private readonly closeClient: () => Promise<void>,
  ) {}

  static async start(opts: QueueWorkerOptions): Promise<QueueWorker> {
    const client = await connectRedis(opts.queue);
    const holder: { self?: QueueWorker } = {};
    const worker = new Worker(opts.queueName, (job, token, signal) => runQueuedJob(opts, job, token, signal, () => holder.self?.handingBack === true), {
      connection: client,
      name: opts.name,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: Math.max(500, Math.floor(opts.lockMs / 2)),
      // A job may lose its worker twice (killed machines) before it fails.
      maxStalledCount: 2,
    });
    worker.on('error', (e) => opts.onEvent({ type: 'connection-error', message: e.message }));
    await worker.waitUntilReady();
    holder.self = new QueueWorker(worker, () => closeRedis(client));
    return holder.self;
  }

  async stop(how: 'finish' | 'hand-back'): Promise<void> {
    if (how === 'hand-back') {
      this.handingBack = true;
      this.worker.cancelAllJobs('handed back');
    }
    await this.worker.close();
    await this.closeClient();
  }
}

async function runQueuedJob(opts: QueueWorkerOptions, job: Job, token: string | undefined, signal: AbortSignal | undefined, handingBack: () => boolean): Promise<unknown> {
  const id = job.id ?? '?';
  const log = new JobLog(opts.name, (p) => job.updateProgress(p));
  let stage = '?';
  try {
    const body = verifiedJob(opts, job);
    stage = body.stage.id;
    opts.onEvent({ type: 'job-started', job: id, stage, ...(body.shard ? { shard: `${body.shard.index + 1}/${body.shard.count}` } : {}) });
    const started = Date.now();
    const result = await untilAborted(runJob(opts, id, body, log), signal);
    await log.flush();
    opts.onEvent({ type: 'job-done', job: id, stage, ms: Date.now() - started });
    return sign(opts.secret, result);
  } catch (e) {
    await log.flush();
    if (handingBack() && signal?.aborted) {
      await job.moveToWait(token);
      opts.onEvent({ type: 'job-handed-back', job: id, stage });
      throw new WaitingError();
    }
    const failed = e instanceof JobError ? e : new JobError(new DvctsError('E_INTERNAL', e instanceof Error ? e.message : String(e)), false);
    opts.onEvent({ type: 'job-failed', job: id, stage, code: failed.error.code, message: failed.error.message, retry: failed.retry });
    const message = encodeFailure({ error: failed.error.toPlain(), worker: opts.name, run: log.run, lastLines: log.lastLines() });
    throw failed.retry ? new Error(message) : new UnrecoverableError(message);
  }
}

/** The job's body, if its signature holds; a refused job is never retried. */
function verifiedJob(opts: QueueWorkerOptions, job: Job): JobBody {
  try {
    return verified<JobBody>(opts.secret, job.data, `job ${job.id ?? '?'}`);
  } catch (e) {
    throw new JobError(e as DvctsError, false);
  }
}
