import { DvctsError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import type { Observed, StaleReason } from '../lockfile/stale.js';
import type { LockEntry, LockedPath } from '../lockfile/types.js';
import type { StageRunContext } from './execute-stage.js';
import type { NodeOutcome } from './run-dag.js';
import { restoreOutputs, saveOutputs } from './stage-outputs.js';

/**
 * DVC never runs a frozen stage, not even with -f: `repro` only checks its outputs. A deleted
 * output is restored from the cache by the id its lock entry recorded, or the stage fails with
 * E_MISSING_DATA; outputs that exist but are not what the lock records (edited, or a stage that
 * never ran) are recorded as they are, as DVC does.
 */
export async function settleFrozenStage(stage: StageSpec, ctx: StageRunContext, now: Observed, reasons: readonly StaleReason[]): Promise<NodeOutcome> {
  if (reasons.length === 0) {
    ctx.emit({ type: 'stage-skipped', id: stage.id, why: 'frozen' });
    return 'done';
  }
  const locked = ctx.lockedEntry(stage);
  const missing = await recordedCopiesOfMissing(stage, ctx, now, locked);
  const changed = reasons.some((r) => r.kind !== 'out-missing');
  const recorded = changed ? stage.outs.filter((o) => !now.missing.has(o.path)).map((o) => o.path) : [];
  if (ctx.dry) ctx.dryPlan?.willRestore(stage, missing);
  else {
    await restoreOutputs(ctx.root, stage, ctx.cache, missing);
    if (changed) await ctx.record(stage, { ...now.entry, outs: await saveOutputs(ctx.root, stage, ctx.cache) });
  }
  ctx.emit({ type: 'frozen-checked', id: stage.id, restored: missing.map((o) => o.path), recorded, dry: ctx.dry });
  return 'done';
}

/** What the lock recorded for each missing output; E_MISSING_DATA when it is not in the cache. */
async function recordedCopiesOfMissing(stage: StageSpec, ctx: StageRunContext, now: Observed, locked: LockEntry | undefined): Promise<LockedPath[]> {
  const copies: LockedPath[] = [];
  for (const out of stage.outs) {
    if (!now.missing.has(out.path)) continue;
    const recorded = locked?.outs.find((o) => o.path === out.path);
    if (recorded === undefined || !(await ctx.cache.has(recorded))) {
      const why = recorded === undefined ? 'has never recorded it' : 'recorded a version that is not in the cache';
      throw new DvctsError('E_MISSING_DATA', `missing data: "${out.path}" does not exist, and frozen stage "${stage.name}" ${why}; a frozen stage is never run`, {
        data: { path: out.path, range: out.range },
        hint: 'put the data back (or its object into the cache, e.g. from a remote), or set `frozen: false` to let the stage rebuild it',
      });
    }
    copies.push(recorded);
  }
  return copies;
}
