import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents, type Job } from 'bullmq';
import type { Cache } from '../cache/index.js';
import { DvctsError, isDvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import type { LockedPath } from '../lockfile/types.js';
import type { Action, ActionListener, Executor } from '../scheduler/executor.js';
import { restoreOutputs } from '../scheduler/stage-outputs.js';
import { pushActionInputs } from './action-inputs.js';
import { decodeFailure, JOB_FORMAT, toWire, type ItemSegment, type JobBody, type JobProgress, type JobResult } from './job.js';
import { closeRedis, connectRedis, type QueueAddress, type RedisClient } from './redis-connection.js';
import type { RemoteStore } from './scratch-workspace.js';
import { sign, verified } from './signing.js';
import { undeclaredInputs } from './undeclared-input.js';
import { untilAborted } from './until-aborted.js';

export interface QueueExecutorOptions {
  readonly root: string;
  readonly cache: Cache;
  /** The remote the workers fetch inputs from and push outputs to. */
  readonly remote: RemoteStore;
  readonly queue: QueueAddress;
  /** BullMQ queue name (several projects can share one Redis under different names). */
  readonly queueName: string;
  readonly secret: Buffer;
}

/** BullMQ job options: retries for what is not the stage's own failure, finished jobs kept a while for inspection. */
const JOB_OPTIONS = { attempts: 3, backoff: { type: 'exponential', delay: 1_000 }, removeOnComplete: { age: 3_600 }, removeOnFail: { age: 86_400 } } as const;

/** Somebody watching a job: the stage's listener, and where its log stream is. */
interface Watch {
  readonly onProgress: (progress: JobProgress) => void;
}

/**
 * The coordinator's side of the queue executor: pushes an action's inputs to the remote, enqueues
 * it as a signed BullMQ job (first its shard jobs, for a sharded per-item built-in), streams the
 * worker's log, and fetches and places the outputs the worker pushed. A stage with a fingerprint
 * gets the job id `run-<fingerprint>`: a coordinator run again while its job is still queued or
 * running waits for that job instead of adding another.
 */
export class QueueExecutor implements Executor {
  private readonly watches = new Map<string, Watch>();

  private constructor(
    private readonly opts: QueueExecutorOptions,
    private readonly clients: readonly RedisClient[],
    private readonly queue: Queue,
    private readonly events: QueueEvents,
  ) {
    events.on('progress', ({ jobId, data }) => this.watches.get(jobId)?.onProgress(data as JobProgress));
  }

  static async open(opts: QueueExecutorOptions): Promise<QueueExecutor> {
    const forQueue = await connectRedis(opts.queue);
    const forEvents = await connectRedis(opts.queue).catch(async (e: unknown) => {
      await closeRedis(forQueue);
      throw e;
    });
    const queue = new Queue(opts.queueName, { connection: forQueue });
    const events = new QueueEvents(opts.queueName, { connection: forEvents });
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    return new QueueExecutor(opts, [forQueue, forEvents], queue, events);
  }

  /**
   * `signal` (Ctrl-C): stops waiting. The job itself goes on on its worker and records its run on
   * the remote, so the next `repro` restores the stage (or joins the job if it still runs).
   */
  async run(action: Action, listener: ActionListener, signal?: AbortSignal): Promise<readonly LockedPath[]> {
    const { root, cache, remote } = this.opts;
    const { stage } = action;
    const base: JobBody = {
      format: JOB_FORMAT,
      stage: toWire(stage),
      deps: action.deps,
      params: action.params,
      ...(action.fingerprint !== undefined ? { fingerprint: action.fingerprint } : {}),
      inputs: await pushActionInputs(root, cache, remote, action),
    };
    const key = action.fingerprint ?? randomBytes(16).toString('hex');
    const segments = await this.runShards(base, stage, key, listener, signal);
    const enqueuedAt = Date.now();
    const result = await this.dispatch(`run-${key}`, segments ? { ...base, segments } : base, stage, listener, signal);
    if (result.kind !== 'outputs') throw new DvctsError('E_INTERNAL', `job run-${key} answered with a ${result.kind}`);
    const fetched = await remote.fetchObjects(result.outs);
    if (fetched.incomplete.length > 0) {
      throw new DvctsError('E_WORKER_LOST', `the outputs of stage "${stage.name}" are not on remote ${remote.location} although worker ${result.timing.worker} pushed them`, {
        data: { stage: stage.id, reason: `missing objects ${fetched.incomplete.join(', ')}` },
      });
    }
    await restoreOutputs(root, stage, cache, result.outs);
    const { worker, receivedAt, startedAt, finishedAt } = result.timing;
    const ran = result.fromRunCache ? 'found in the remote run-cache' : `ran in ${seconds(finishedAt - startedAt)} (waited ${seconds(receivedAt - enqueuedAt)} for a worker)`;
    listener.log(`${ran} on ${worker}`, 'stderr', worker);
    return result.outs;
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    await Promise.all(this.clients.map(closeRedis));
  }

  /** How many workers are connected to the queue (`shards: auto`). */
  private async workerCount(): Promise<number> {
    return Math.max(1, await this.queue.getWorkersCount().catch(() => 1));
  }

  /** The shard jobs of a sharded stage, all at once; their segments, or undefined for an unsharded stage. */
  private async runShards(base: JobBody, stage: StageSpec, key: string, listener: ActionListener, signal: AbortSignal | undefined): Promise<ItemSegment[] | undefined> {
    const shards = base.stage.with?.shards;
    if (shards === undefined) return undefined;
    const count = shards === 'auto' ? await this.workerCount() : Number(shards);
    if (count <= 1) return undefined;
    listener.log(`${count} shard jobs fill the per-item cache first`, 'stderr');
    const progress = new Array<{ done: number; total: number; unit: string } | undefined>(count);
    const results = await Promise.all(
      Array.from({ length: count }, (_, index) =>
        this.dispatch(`shard-${key}-${index + 1}of${count}`, { ...base, shard: { index, count } }, stage, {
          log: (line, stream, worker) => listener.log(`shard ${index + 1}/${count}: ${line}`, stream, worker),
          progress: (done, total, unit) => {
            progress[index] = { done, total, unit };
            const known = progress.filter((p) => p !== undefined);
            listener.progress(known.reduce((n, p) => n + p.done, 0), known.reduce((n, p) => n + p.total, 0), unit);
          },
        }, signal),
      ),
    );
    return results.map((r) => {
      if (r.kind !== 'segment') throw new DvctsError('E_INTERNAL', `a shard job answered with ${r.kind}`);
      return r.segment;
    });
  }

  /** Adds the job (or joins the one with its id still queued or running) and waits for its verified result. */
  private async dispatch(id: string, body: JobBody, stage: StageSpec, listener: ActionListener, signal: AbortSignal | undefined): Promise<JobResult> {
    const tail = new LogFollower(listener);
    this.watches.set(id, { onProgress: (p) => tail.receive(p) });
    try {
      const job = await this.enqueue(id, body);
      const signed: unknown = await untilAborted(job.waitUntilFinished(this.events), signal);
      return verified<JobResult>(this.opts.secret, signed, `the result of job ${id}`);
    } catch (e) {
      if (isDvctsError(e) || signal?.aborted) throw e;
      throw this.failureOf(id, stage, (e as Error).message ?? String(e), tail);
    } finally {
      this.watches.delete(id);
    }
  }

  private async enqueue(id: string, body: JobBody): Promise<Job> {
    const existing = await this.queue.getJob(id);
    const state = existing ? await existing.getState() : undefined;
    if (existing && state !== 'completed' && state !== 'failed' && state !== 'unknown') return existing;
    await existing?.remove().catch(() => {}); // a finished job of an earlier run: run it again
    return this.queue.add(body.shard ? 'shard' : 'stage', sign(this.opts.secret, body), { ...JOB_OPTIONS, jobId: id });
  }

  /** The stage's error as the worker reported it (log lines the stream missed are shown first). */
  private failureOf(id: string, stage: StageSpec, message: string, tail: LogFollower): DvctsError {
    const failure = decodeFailure(message);
    if (failure === undefined) {
      return new DvctsError('E_WORKER_LOST', `job ${id} of stage "${stage.name}" failed on the workers: ${message}`, { data: { stage: stage.id, reason: message } });
    }
    tail.receive({ run: failure.run, worker: failure.worker, lines: failure.lastLines });
    const error = DvctsError.revive({ ...failure.error, message: `${failure.error.message} (on worker ${failure.worker})` });
    if (error.code === 'E_UNDECLARED_INPUT' || stage.cmd === undefined) return error;
    const paths = undeclaredInputs(this.opts.root, stage, [failure.error.message, ...failure.lastLines.map((l) => l.line)]);
    if (paths.length === 0) return error;
    return new DvctsError('E_UNDECLARED_INPUT', `stage "${stage.name}" read ${paths.map((p) => `"${p}"`).join(', ')}, not among its deps: a worker has only the declared deps (${error.message})`, {
      data: { stage: stage.id, paths },
      hint: `add ${paths.join(', ')} to the deps of stage "${stage.name}" (a local run hides this pipeline bug)`,
    });
  }
}

/**
 * Passes a job's streamed log on to the stage's listener, each line once: a retry on another
 * worker starts its numbering again (and says so), and the failure report fills in lines the
 * stream had not delivered.
 */
class LogFollower {
  private run: string | undefined;
  private worker: string | undefined;
  private next = 0;

  constructor(private readonly listener: ActionListener) {}

  receive(p: JobProgress): void {
    if (p.run !== this.run) {
      if (this.worker !== undefined) {
        const again = p.worker === this.worker ? `worker ${p.worker} tries it again` : `the job went to worker ${p.worker}`;
        this.listener.log(`the run on worker ${this.worker} stopped; ${again}`, 'stderr', p.worker);
      }
      this.run = p.run;
      this.worker = p.worker;
      this.next = 0;
    }
    for (const l of p.lines) {
      if (l.seq < this.next) continue;
      this.listener.log(l.line, l.stream, p.worker);
      this.next = l.seq + 1;
    }
    if (p.progress) this.listener.progress(p.progress.done, p.progress.total, p.progress.unit);
  }
}

function seconds(ms: number): string {
  return `${(Math.max(0, ms) / 1000).toFixed(1)} s`;
}
