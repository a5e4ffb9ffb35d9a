import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { CacheActivity, PathInfo } from '../cache/index.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { interruptedError, interruptionOf } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import { loadProject } from '../pipeline/load.js';
import { sweepStaleTemps } from '../util/atomic-write.js';
import { confinedPath } from '../util/confined-path.js';
import { selectOutputs } from './checkout-targets.js';
import { conflictError, planCheckout } from './checkout-plan.js';
import { openProjectCache } from './config.js';
import { openSnapshot } from './metadata-files.js';
import { findProjectRoot } from './project.js';
import { reachableOutputs, readTrackedOutputs, type TrackedOutput } from './references.js';
import { acquireRepoLock } from './repo-lock.js';
import { UnrecordedEdits } from './unrecorded-edits.js';
import { builtins, type ProjectOptions } from './builtins.js';

export interface CheckoutOptions extends ProjectOptions {
  /** Pointer files, data paths, or stages; default: everything recorded. */
  readonly targets?: readonly string[];
  /** Read pointer and lock files at this git revision instead of the work tree. */
  readonly rev?: string;
  /** Re-create unchanged files too, with the configured link chain. */
  readonly relink?: boolean;
  /** Overwrite workspace changes that nothing records (they are saved to the cache first). */
  readonly force?: boolean;
  readonly wait?: boolean;
  onWait?(holder: string): void;
  /** Files and bytes checked out, as they go. */
  readonly progress?: Omit<CacheActivity, 'signal'>;
  /** Aborted (Ctrl-C): stops between files, each file whole (E_INTERRUPTED says what is left to do). */
  readonly signal?: AbortSignal;
}

export interface CheckoutResult {
  /** Outputs whose workspace copy was created or replaced. */
  readonly restored: readonly string[];
  readonly unchanged: readonly string[];
  /** `cache: false` stage outputs: the cache holds nothing to check out. */
  readonly skipped: readonly { path: string; reason: string }[];
  /** With --force: workspace content that was overwritten, and the id it was saved under first. */
  readonly overwritten: readonly { path: string; saved: PathInfo }[];
  /** Records that were not acted on (unreadable, invalid, unsafe path, unknown stage, overlapping), located. */
  readonly problems: readonly Diagnostic[];
  /** Texts of the pointer and lock files the problems point into. */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * `dvcts checkout`: makes the workspace data match the pointer and lock files — as they are in
 * the work tree, or at `rev` (read through git objects; HEAD and tracked files stay as they are).
 * It never loses data: unrecorded changes are saved into the cache before anything is replaced,
 * and without `force` the checkout then stops with E_CHECKOUT_CONFLICT.
 */
export async function checkout(opts: CheckoutOptions = {}): Promise<CheckoutResult> {
  const cwd = opts.cwd ?? process.cwd();
  const root = findProjectRoot(cwd);
  const lock = await acquireRepoLock(root, {
    wait: opts.wait ?? true,
    command: 'checkout',
    ...(opts.onWait ? { onWait: opts.onWait } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  try {
    return await checkoutLocked(root, cwd, opts);
  } finally {
    await lock.release();
  }
}

/** checkout's work, for a caller that already holds the project lock (pull). */
export async function checkoutLocked(root: string, cwd: string, opts: CheckoutOptions): Promise<CheckoutResult> {
  const snapshot = await openSnapshot(root, opts.rev);
  // Invalid pipelines must not block restoring data: only the stages that loaded are used.
  const stages = (await loadProject(root, { builtins: opts.builtins ?? builtins })).spec.stages;
  const records = await readTrackedOutputs(snapshot);
  const selected = selectOutputs(root, cwd, records.outputs, opts.targets ?? [], stages, snapshot.label);
  const reachable = await reachableOutputs(root, selected, records.problems);
  const { cached, skipped } = splitUncached(reachable, stages);
  const cache = await openProjectCache(root, { ...opts.progress, ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    const refused = await UnrecordedEdits.load(root);
    const plan = await planCheckout(root, cache, cached, { relink: opts.relink ?? false, refusedBefore: (path, id) => refused.has(path, id) }).catch((e: unknown) => {
      throw opts.signal?.aborted ? interruptedError(interruptionOf(opts.signal), 'while comparing the workspace with the records: nothing was changed') : e;
    });
    const conflicts = plan.filter((p) => p.saved !== undefined);
    if (conflicts.length > 0 && !opts.force) {
      await refused.remember(conflicts.map((c) => ({ path: c.output.path, id: c.saved!.id })));
      throw conflictError(conflicts, (id) => cache.objectPath(id));
    }
    await refused.forget(conflicts.map((c) => c.output.path));
    for (const [index, { output, action }] of plan.entries()) {
      const abs = await confinedPath(root, output.path, 'write');
      try {
        opts.signal?.throwIfAborted();
        // Relink: the content is verified to be in the cache, so the workspace copy can go.
        if (action === 'relink') await rm(abs, { recursive: true, force: true });
        if (action !== 'unchanged') await cache.checkout(output.info, abs);
        if (action !== 'unchanged') await sweepStaleTemps(dirname(abs));
      } catch (e) {
        if (opts.signal?.aborted) throw interruptedCheckout(opts.signal, output.path, index, plan.length);
        throw e;
      }
    }
    return {
      restored: plan.filter((p) => p.action !== 'unchanged').map((p) => p.output.path),
      unchanged: plan.filter((p) => p.action === 'unchanged').map((p) => p.output.path),
      skipped,
      overwritten: conflicts.map((p) => ({ path: p.output.path, saved: p.saved! })),
      problems: records.problems,
      sources: records.sources,
    };
  } finally {
    await cache.flush();
  }
}

function interruptedCheckout(signal: AbortSignal, path: string, done: number, total: number): Error {
  return interruptedError(
    interruptionOf(signal),
    `while checking out ${path} (${done} of ${total} outputs were done): every file is whole, but ${path} may hold files of both versions; \`dvcts checkout\` again finishes it`,
  );
}

/** Stage outputs declared `cache: false` are recorded in lock files but never stored. */
export function splitUncached(outputs: readonly TrackedOutput[], stages: readonly StageSpec[]): { cached: TrackedOutput[]; skipped: { path: string; reason: string }[] } {
  const uncached = new Set(stages.flatMap((s) => s.outs.filter((o) => !o.cache).map((o) => `${s.lockFile}\0${s.name}\0${o.path}`)));
  const cached: TrackedOutput[] = [];
  const skipped: { path: string; reason: string }[] = [];
  for (const o of outputs) {
    if (o.stage !== undefined && uncached.has(`${o.source}\0${o.stage}\0${o.path}`)) {
      skipped.push({ path: o.path, reason: `output of stage ${o.stage} has cache: false (not stored; run \`dvcts repro\` to recreate it)` });
    } else {
      cached.push(o);
    }
  }
  return { cached, skipped };
}
