import { join } from 'node:path';
import { itemCacheDirsOf } from '../cache/item-cache.js';
import { RunCache } from '../cache/run-cache.js';
import type { BuiltinRegistry } from '../core/builtin.js';
import { DvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import type { LockedPath } from '../lockfile/types.js';
import { pushSegment, replaySegments, shardItemCache } from './item-segments.js';
import { JOB_FORMAT, type JobBody, type JobResult, type WireStage } from './job.js';
import type { JobLog } from './job-log.js';
import { LocalExecutor } from './local.js';
import { ScratchWorkspace, type RemoteStore } from './scratch-workspace.js';

/** What a worker brings to every job. */
export interface WorkerSetup {
  readonly name: string;
  /** Jobs' workspaces go to `<scratch>/jobs`; the worker's cache is `<scratch>/cache`. */
  readonly scratch: string;
  readonly remote: RemoteStore;
  /** The built-ins this worker can run (the jobs name them; runners are this worker's own). */
  readonly builtins: BuiltinRegistry;
  /** Refuse `cmd:` stages. */
  readonly builtinsOnly: boolean;
}

/**
 * A failed job. `stage`: the stage itself failed (its command, its data): retrying on another
 * worker gives the same failure, so BullMQ must not. Anything else (the remote, the disk) may
 * pass on another try.
 */
export class JobError extends Error {
  constructor(
    readonly error: DvctsError,
    readonly retry: boolean,
  ) {
    super(error.message);
  }
}

export const workerCacheDir = (setup: Pick<WorkerSetup, 'scratch'>): string => join(setup.scratch, 'cache');

/**
 * Runs one verified job in a fresh scratch workspace: places its inputs, runs the stage (or one
 * shard of it), stores and pushes what it made, and says what that was. A job whose run the
 * run-cache records (a retry after a worker was killed once it had pushed) is not run again.
 */
export async function runJob(setup: WorkerSetup, jobId: string, body: JobBody, log: JobLog): Promise<JobResult> {
  const receivedAt = Date.now();
  const stage = bindStage(setup, body);
  const timing = (startedAt: number, finishedAt: number) => ({ worker: setup.name, receivedAt, startedAt, finishedAt, pushedAt: Date.now() });
  const cacheDir = workerCacheDir(setup);
  if (body.shard === undefined && body.fingerprint !== undefined) {
    const recorded = await infra(stage, () => recordedRun(setup, cacheDir, body.fingerprint!));
    if (recorded !== undefined) return { kind: 'outputs', outs: recorded, timing: timing(receivedAt, receivedAt), fromRunCache: true };
  }
  const ws = await infra(stage, () => ScratchWorkspace.create(setup.scratch, cacheDir, jobId));
  try {
    await infra(stage, () => ws.materialise(body.inputs, setup.remote, { stage: stage.id, worker: setup.name }));
    if (body.shard !== undefined) {
      const startedAt = Date.now();
      await asStage(() => new LocalExecutor({ root: ws.root, cache: ws.cache, itemCache: shardItemCache(ws) }).runCommand(stage, log, body.shard));
      const finishedAt = Date.now();
      const segment = await infra(stage, () => pushSegment(ws, setup.remote));
      return { kind: 'segment', segment, timing: timing(startedAt, finishedAt) };
    }
    const itemCache =
      body.segments !== undefined && body.segments.length > 0
        ? await infra(stage, () => replaySegments(ws, body.segments!, setup.remote, join(cacheDir, 'objects')))
        : itemCacheDirsOf(cacheDir);
    const startedAt = Date.now();
    const action = { stage, deps: body.deps, params: body.params, ...(body.fingerprint !== undefined ? { fingerprint: body.fingerprint } : {}) };
    const outs = await asStage(() => new LocalExecutor({ root: ws.root, cache: ws.cache, itemCache }).run(action, log));
    const finishedAt = Date.now();
    await infra(stage, () => pushOutputs(setup, cacheDir, ws, outs, body.fingerprint));
    return { kind: 'outputs', outs, timing: timing(startedAt, finishedAt), fromRunCache: false };
  } finally {
    await ws.remove();
  }
}

/** The job's stage bound to this worker's built-in of the same name and version. */
function bindStage(setup: WorkerSetup, body: JobBody): StageSpec {
  if (body.format !== JOB_FORMAT) {
    throw new JobError(new DvctsError('E_WORKER_BUILTIN', `worker ${setup.name} reads jobs of format ${JOB_FORMAT}, not ${String(body.format)}`, {
      data: { stage: body.stage?.id ?? '?', uses: '', version: String(body.format), worker: setup.name },
    }), false);
  }
  const wire: WireStage = body.stage;
  if (wire.uses === undefined) {
    if (setup.builtinsOnly) {
      throw new JobError(new DvctsError('E_JOB_SHELL_REFUSED', `worker ${setup.name} runs built-ins only (--builtins-only) and refused the cmd: stage "${wire.name}"`, {
        data: { stage: wire.id, worker: setup.name },
        hint: 'run shell stages on workers started without --builtins-only, or locally',
      }), false);
    }
    const { builtin: _none, ...shell } = wire;
    return shell;
  }
  const definition = setup.builtins.get(wire.uses);
  const wanted = wire.builtin?.version ?? '?';
  if (definition === undefined || definition.version !== wanted) {
    const has = definition === undefined ? 'does not have it' : `has version ${definition.version}`;
    throw new JobError(new DvctsError('E_WORKER_BUILTIN', `stage "${wire.name}" uses built-in ${wire.uses} version ${wanted}; worker ${setup.name} ${has}`, {
      data: { stage: wire.id, uses: wire.uses, version: wanted, worker: setup.name },
    }), false);
  }
  const { runner, version, incrementalOutputs } = definition;
  return { ...wire, builtin: { version, runner, ...(incrementalOutputs ? { incrementalOutputs } : {}) } };
}

/** The outputs the run-cache (local, then the remote's) records for this fingerprint. */
async function recordedRun(setup: WorkerSetup, cacheDir: string, fingerprint: string): Promise<readonly LockedPath[] | undefined> {
  if (!(await setup.remote.fetchRunCacheEntry(fingerprint))) return undefined;
  return RunCache.of(cacheDir).lookup(fingerprint);
}

/**
 * Sends the outputs (all of them: the coordinator needs `cache: false` ones too), then the
 * run-cache record, which promises that they are there: a coordinator that was killed finds the
 * stage there when it runs again, and so does a retry of this job.
 */
async function pushOutputs(setup: WorkerSetup, cacheDir: string, ws: ScratchWorkspace, outs: readonly LockedPath[], fingerprint: string | undefined): Promise<void> {
  for (const out of outs) if (!(await ws.cache.has(out))) await ws.cache.save(ws.path(out.path));
  const pushed = await setup.remote.pushObjects(outs);
  if (pushed.incomplete.length > 0) throw new Error(`outputs ${pushed.incomplete.join(', ')} could not be pushed to ${setup.remote.location}`);
  if (fingerprint === undefined) return;
  await RunCache.of(cacheDir).record(fingerprint, outs);
  if (!(await setup.remote.pushRunCacheEntry(fingerprint))) throw new Error(`the run-cache record ${fingerprint} could not be pushed to ${setup.remote.location}`);
}

/** A step of the stage itself: its failure is the stage's, final. */
async function asStage<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof DvctsError) throw new JobError(e, false);
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    throw new JobError(new DvctsError('E_INTERNAL', `${typeof code === 'string' ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}`), false);
  }
}

/** A step around the stage (workspace, remote): worth another try, perhaps on another worker. */
async function infra<T>(stage: { id: string }, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (e) {
    if (e instanceof JobError) throw e;
    if (e instanceof DvctsError) throw new JobError(e, e.code !== 'E_WORKER_INPUT_MISSING'); // another try finds the same remote
    const reason = e instanceof Error ? e.message : String(e);
    throw new JobError(new DvctsError('E_WORKER_LOST', reason, { data: { stage: stage.id, reason } }), true);
  }
}
