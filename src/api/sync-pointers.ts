import { join } from 'node:path';
import type { Cache } from '../cache/index.js';
import type { StageSpec } from '../core/spec.js';
import { isWithin } from '../graph/paths.js';
import type { EventSink } from '../scheduler/events.js';
import { trackPath } from './add.js';
import type { TrackedData } from './data-status.js';
import { pointerPathFor } from './pointer.js';

/**
 * DVC treats data tracked with `add` as a stage of its own: `repro` verifies it and, when the data
 * changed without a re-add, stores the new version and rewrites its pointer before the stages that
 * read it run. Otherwise the lock would record the new data while the pointer (and so a later
 * `checkout`) still named the old version. Only data that a selected stage reads is looked at.
 */
export async function syncChangedPointers(
  root: string,
  cache: Cache,
  all: readonly TrackedData[],
  stages: readonly StageSpec[],
  dry: boolean,
  emit: EventSink,
): Promise<void> {
  const read = (path: string): boolean => stages.some((s) => s.deps.some((d) => isWithin(d.path, path) || isWithin(path, d.path)));
  const tracked = all.filter((t) => read(t.path));
  // A pointer written by `dvcts add` names one path, beside it: only those are rewritten.
  const rewritable = tracked.filter((t) => t.pointer === pointerPathFor(t.path) && tracked.filter((o) => o.pointer === t.pointer).length === 1);
  for (const t of rewritable) {
    const now = await cache.hashPath(join(root, t.path));
    if (now === undefined || now.id === t.info.id) continue; // a missing dep fails its stage with E_DEP_MISSING
    if (!dry) await trackPath(root, cache, t.path);
    emit({ type: 'pointer-updated', path: t.path, pointer: t.pointer, dry });
  }
}
