import type { Cache } from '../cache/index.js';
import { runFingerprint, type RunCache } from '../cache/run-cache.js';
import { DvctsError, isDvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import { observeStage } from '../lockfile/observe.js';
import { whyStale, type Observed, type StaleReason } from '../lockfile/stale.js';
import type { LockEntry, LockedPath } from '../lockfile/types.js';
import type { ParamsReader } from '../pipeline/params.js';
import type { Executor } from './executor.js';
import { settleFrozenStage } from './frozen-stage.js';
import { discardPartialOutputs, restoreOutputs } from './stage-outputs.js';
import type { DryPlan } from './dry-plan.js';
import { confinedPath } from '../util/confined-path.js';
import type { EventSink, FailureInfo } from './events.js';
import type { NodeOutcome } from './run-dag.js';

export interface StageRunContext {
  readonly root: string;
  readonly cache: Cache;
  readonly params: ParamsReader;
  readonly force: boolean;
  readonly dry: boolean;
  /** A dry run's predictions so far (stages that would run or be restored). */
  readonly dryPlan?: DryPlan;
  /** Restore outputs of a previously seen fingerprint instead of running (off: --no-run-cache). */
  readonly runCache?: RunCache;
  /** Runs the stages that must run (here, or on workers). */
  readonly executor: Executor;
  readonly emit: EventSink;
  /** Ctrl-C / SIGTERM: a running stage is stopped, its partial outputs removed, nothing recorded. */
  readonly signal?: AbortSignal;
  lockedEntry(stage: StageSpec): LockEntry | undefined;
  /** Records a successful run (the caller serialises writes per lock file). */
  record(stage: StageSpec, entry: LockEntry): Promise<void>;
}

const TAIL_LINES = 20;

/** Decides whether a stage is stale and, if so, has the executor run it and records what it observed. */
export async function executeStage(stage: StageSpec, ctx: StageRunContext): Promise<NodeOutcome> {
  const tail: string[] = [];
  try {
    // Outputs are hashed, deleted and replaced below: each must pass the path rule first.
    for (const out of stage.outs) await confinedPath(ctx.root, out.path, 'write');
    const observed = await observeStage(ctx.root, stage, ctx.cache, ctx.params);
    // A dry run judges each stage as the real run would once its upstream has finished.
    const { now, after } = ctx.dryPlan ? await ctx.dryPlan.judge(stage, observed) : { now: observed, after: [] };
    const stale = whyStale(stage, now, ctx.lockedEntry(stage));
    if (stage.frozen) return await settleFrozenStage(stage, ctx, now, stale);
    const reasons: StaleReason[] = ctx.force ? [{ kind: 'forced' }] : after.length > 0 ? [...stale, { kind: 'after-upstream', stages: after }] : stale;
    if (reasons.length === 0) {
      ctx.emit({ type: 'stage-skipped', id: stage.id, why: 'up-to-date' });
      return 'done';
    }
    // Deps that upstream stages would create first are not checked in a dry run.
    if (after.length === 0) checkDepsExist(stage, now);
    const fingerprint = ctx.runCache && !ctx.force && after.length === 0 && restorable(stage) ? await runFingerprint({ ...now.entry, outs: stage.outs.map((o) => o.path) }) : undefined;
    const cached = fingerprint === undefined ? undefined : await restorableOutputs(stage, ctx, fingerprint);
    if (ctx.dry) {
      if (cached) ctx.dryPlan?.willRestore(stage, cached);
      else ctx.dryPlan?.willRun(stage);
      ctx.emit({ type: cached ? 'stage-would-restore' : 'stage-would-run', id: stage.id, reasons });
      return 'done';
    }
    if (cached) {
      await restoreOutputs(ctx.root, stage, ctx.cache, cached);
      await ctx.record(stage, { ...now.entry, outs: cached });
      ctx.emit({ type: 'stage-restored', id: stage.id, at: Date.now() });
      return 'done';
    }
    ctx.signal?.throwIfAborted(); // nothing of this stage has been touched yet
    const startedAt = Date.now();
    ctx.emit({ type: 'stage-started', id: stage.id, reasons, at: startedAt });
    const log = (line: string, stream: 'stdout' | 'stderr', worker?: string): void => {
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
      ctx.emit({ type: 'stage-log', id: stage.id, line, stream, ...(worker !== undefined ? { worker } : {}) });
    };
    const progress = (done: number, total: number, unit: string): void =>
      ctx.emit({ type: 'stage-progress', id: stage.id, done, total, unit, at: Date.now() });
    const action = { stage, deps: now.entry.deps, params: now.entry.params, ...(fingerprint !== undefined ? { fingerprint } : {}) };
    let outs: readonly LockedPath[];
    try {
      // Once the command has finished, the executor stores its outputs even if Ctrl-C came meanwhile.
      outs = await ctx.executor.run(action, { log, progress }, ctx.signal);
    } catch (e) {
      if (!ctx.signal?.aborted) throw e;
      const removed = await discardPartialOutputs(ctx.root, stage);
      ctx.emit({ type: 'stage-interrupted', id: stage.id, startedAt, removed, at: Date.now() });
      return 'interrupted';
    }
    await ctx.record(stage, { ...now.entry, outs });
    if (fingerprint !== undefined) await ctx.runCache!.record(fingerprint, outs);
    ctx.emit({ type: 'stage-finished', id: stage.id, startedAt, at: Date.now() });
    return 'done';
  } catch (e) {
    if (ctx.signal?.aborted && e === ctx.signal.reason) return 'cancelled'; // before it began
    ctx.emit({ type: 'stage-failed', id: stage.id, failure: failureOf(e, tail), at: Date.now() });
    return 'failed';
  }
}

function checkDepsExist(stage: StageSpec, now: Observed): void {
  const missingDep = stage.deps.find((d) => now.missing.has(d.path));
  if (missingDep === undefined) return;
  throw new DvctsError('E_DEP_MISSING', `dependency "${missingDep.path}" of stage "${stage.name}" does not exist`, {
    data: { path: missingDep.path, range: missingDep.range },
    hint: 'create it, track it with `dvcts add`, or add the stage that produces it',
  });
}

/**
 * What the user sees of a failed stage. A system error (EACCES, ENOSPC, ...) fails the stage like
 * any other problem instead of aborting the whole run with a stack trace.
 */
function failureOf(e: unknown, lastLines: readonly string[]): FailureInfo {
  if (isDvctsError(e)) {
    return {
      code: e.code,
      message: e.message,
      ...(e.hint ? { hint: e.hint } : {}),
      data: e.data,
      ...(typeof e.data.exitCode === 'number' ? { exitCode: e.data.exitCode } : {}),
      lastLines,
    };
  }
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const message = e instanceof Error ? (process.env.DVCTS_DEBUG ? (e.stack ?? e.message) : e.message) : String(e);
  return { code: typeof code === 'string' ? code : 'E_INTERNAL', message, lastLines };
}

/**
 * DVC's rule: only stages whose outputs are all rebuilt from scratch and cached can be restored;
 * `always_changed` stages and `persist` outputs always run. A `cache: false` metric or plot does
 * not count (DVC's `no_cache_outs` leaves them out): it is stored for the run-cache anyway.
 */
function restorable(stage: StageSpec): boolean {
  return !stage.alwaysChanged && stage.outs.length > 0 && stage.outs.every((o) => !o.persist && (o.cache || o.kind !== 'out'));
}

/** The outputs recorded for this fingerprint, when every object is still in the cache. */
async function restorableOutputs(stage: StageSpec, ctx: StageRunContext, fingerprint: string): Promise<readonly LockedPath[] | undefined> {
  const outs = await ctx.runCache!.lookup(fingerprint);
  const sameOuts = outs?.length === stage.outs.length && outs.every((o, i) => o.path === stage.outs[i]!.path);
  if (!outs || !sameOuts) return undefined;
  for (const out of outs) if (!(await ctx.cache.has(out))) return undefined;
  return outs;
}

