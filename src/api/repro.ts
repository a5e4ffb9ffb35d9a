import { cacheDirOf, openCache } from '../cache/index.js';
import { RunCache } from '../cache/run-cache.js';
import { resolveTargets, selectStages } from '../graph/targets.js';
import { ParamsReader } from '../pipeline/params.js';
import type { EventSink } from '../scheduler/events.js';
import { DryPlan } from '../scheduler/dry-plan.js';
import type { Executor } from '../scheduler/executor.js';
import { executeStage } from '../scheduler/execute-stage.js';
import { runDag, type RunDagResult } from '../scheduler/run-dag.js';
import { DiagnosticsError } from '../core/errors.js';
import { hintFor } from './error-catalogue.js';
import { missingDeps } from './missing-deps.js';
import { LockFiles } from './lock-files.js';
import type { ProjectOptions } from './builtins.js';
import { trackedData } from './data-status.js';
import { syncChangedPointers } from './sync-pointers.js';
import { outputsOverTrackedData } from './tracked-outputs-check.js';
import { openProject } from './open-project.js';
import { acquireRepoLock } from './repo-lock.js';
import { executorSettings, openExecutor, type ExecutorChoice } from './repro-executor.js';

export interface ReproOptions extends ProjectOptions, ExecutorChoice {
  readonly targets?: readonly string[];
  readonly force?: boolean;
  readonly single?: boolean;
  readonly downstream?: boolean;
  readonly dry?: boolean;
  readonly jobs?: number;
  readonly keepGoing?: boolean;
  /** Restore outputs of previously seen stage fingerprints instead of running (default true). */
  readonly runCache?: boolean;
  /** Wait for another dvcts process holding the project lock (default), or fail at once. */
  readonly wait?: boolean;
  /**
   * Before running, fetch and check out the recorded deps and outputs the workspace lacks, and
   * look each stale stage's fingerprint up in the remote's run-cache too (`--pull`).
   */
  readonly pull?: boolean;
  /** The remote for `pull` and the queue executor (default: the default remote). */
  readonly remote?: string;
  readonly onEvent?: EventSink;
  /**
   * Aborted (Ctrl-C, SIGTERM): no further stage starts; running ones are stopped (shell commands'
   * whole process groups, built-ins through their `ctx.signal`), their partial outputs removed and
   * nothing recorded for them; finished stages stay recorded. The result lists them in `interrupted`.
   */
  readonly signal?: AbortSignal;
}

/** `dvcts repro`: brings the selected stages up to date, in dependency order, in parallel. */
export async function repro(opts: ReproOptions = {}): Promise<RunDagResult> {
  const onEvent: EventSink = opts.onEvent ?? (() => {});
  // A stage failure without a hint of its own gets its code's general hint from the catalogue.
  const emit: EventSink = (e) =>
    onEvent(e.type === 'stage-failed' && e.failure.hint === undefined ? withFailureHint(e, hintFor(e.failure.code, undefined, opts.builtins)) : e);
  const project = await openProject({ ...opts, reportMissingDeps: opts.pull === true ? 'pulling' : true });
  const { root, dag, config } = project;
  const targets = project.targets.length > 0 ? resolveTargets(project.dag, project.targets) : undefined;
  const order = selectStages(dag, targets, { single: opts.single ?? false, downstream: opts.downstream ?? false });
  const missing = await missingDeps(root, dag, order, opts.pull === true);
  if (missing.length > 0) throw new DiagnosticsError(missing, 'dependencies are missing', project.sources);
  const { tracked } = await trackedData(root);
  const overTracked = outputsOverTrackedData(dag.stages, tracked);
  if (overTracked.length > 0) throw new DiagnosticsError(overTracked, 'the pipeline would delete tracked data', project.sources);

  const lock = opts.dry
    ? undefined
    : await acquireRepoLock(root, {
        wait: opts.wait ?? true,
        command: 'repro',
        onWait: (holder) => emit({ type: 'waiting-for-lock', holder }),
        ...(opts.signal ? { signal: opts.signal } : {}),
      });
  try {
    const cache = await openCache({ root, linkTypes: config.linkTypes });
    const lockFiles = await LockFiles.load(root, dag.stages);
    const params = new ParamsReader(root);
    const where = executorSettings(opts, config.executor);
    // The queue executor moves data through the remote, and looks stages up in its run-cache:
    // a stage that workers finished for a coordinator that was killed is restored, not rerun.
    // The remote layer and git reading are loaded only when asked for (start-up of every other repro).
    const useRemote = (opts.pull || where.kind === 'queue') && !opts.dry;
    const remote = useRemote ? await (await import('./project-remote.js')).openProjectRemote(root, opts.remote !== undefined ? { remote: opts.remote } : {}) : undefined;
    let executor: Executor | undefined;
    try {
      let runCache = opts.runCache === false ? undefined : RunCache.of(cacheDirOf(root));
      if (remote !== undefined) {
        const { PullingRunCache } = await import('../remote/pulling-run-cache.js');
        if (opts.pull) {
          const { pullMissingData } = await import('./repro-pull.js');
          const pulled = await pullMissingData(root, cache, remote, order.map((id) => dag.byId.get(id)!), dag.stages);
          emit({ type: 'data-pulled', remote: remote.name, ...pulled });
        }
        if (runCache !== undefined) runCache = new PullingRunCache(cacheDirOf(root), remote);
      }
      await syncChangedPointers(root, cache, tracked, order.map((id) => dag.byId.get(id)!), opts.dry ?? false, emit);
      const dryPlan = opts.dry ? new DryPlan(dag.upstream, cache) : undefined;
      executor = await openExecutor(root, cache, opts.dry ? { kind: 'local' } : where, remote);
      const runWith = executor;
      return await runDag({
        order,
        upstream: dag.upstream,
        jobs: opts.jobs ?? config.jobs,
        keepGoing: opts.keepGoing ?? false,
        onBlocked: (id, by) => emit({ type: 'stage-blocked', id, by }),
        ...(opts.signal ? { signal: opts.signal } : {}),
        execute: (id) =>
          executeStage(dag.byId.get(id)!, {
            root,
            cache,
            params,
            force: opts.force ?? false, // DVC: -f forces every selected stage
            ...(runCache !== undefined ? { runCache } : {}),
            dry: opts.dry ?? false,
            ...(dryPlan ? { dryPlan } : {}),
            executor: runWith,
            emit,
            ...(opts.signal ? { signal: opts.signal } : {}),
            lockedEntry: (stage) => lockFiles.get(stage),
            record: (stage, entry) => lockFiles.record(stage, entry),
          }),
      });
    } finally {
      await executor?.close();
      remote?.close();
      await cache.flush();
    }
  } finally {
    await lock?.release();
  }
}

function withFailureHint<E extends { failure: { hint?: string } }>(event: E, hint: string | undefined): E {
  return hint === undefined ? event : { ...event, failure: { ...event.failure, hint } };
}
