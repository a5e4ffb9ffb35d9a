import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cache } from '../cache/index.js';
import type { StageSpec } from '../core/spec.js';
import { isWithin } from '../graph/paths.js';
import { objectsCorruptError } from '../remote/errors.js';
import type { Remote } from '../remote/index.js';
import { splitUncached } from './checkout.js';
import { workspaceSnapshot } from './metadata-files.js';
import { reachableOutputs, readTrackedOutputs, type TrackedOutput } from './references.js';
import { refsOf } from './transfer-scope.js';

export interface PulledData {
  readonly objects: number;
  readonly bytes: number;
  /** Outputs that were absent from the workspace and are now checked out. */
  readonly restored: readonly string[];
}

/**
 * The first half of `repro --pull`: the deps and outputs of the selected stages that the
 * pointer and lock files record but the workspace lacks are fetched and checked out, so an
 * up-to-date stage of a fresh clone is not rerun. Nothing present in the workspace is touched;
 * data the remote lacks is left to the stages to produce. Corrupt remote objects stop the run.
 */
export async function pullMissingData(root: string, cache: Cache, remote: Remote, stages: readonly StageSpec[], allStages: readonly StageSpec[]): Promise<PulledData> {
  const paths = stages.flatMap((s) => [...s.deps.map((d) => d.path), ...s.outs.map((o) => o.path)]);
  const covers = (o: TrackedOutput): boolean => paths.some((p) => isWithin(p, o.path) || isWithin(o.path, p));
  // Only records that pass every check (path rule, no link on the way) are fetched and checked out.
  const records = await readTrackedOutputs(workspaceSnapshot(root));
  const recorded = splitUncached(await reachableOutputs(root, records.outputs, records.problems), allStages).cached.filter(covers);
  const absent: TrackedOutput[] = [];
  for (const o of recorded) if (!(await exists(join(root, o.path)))) absent.push(o);
  if (absent.length === 0) return { objects: 0, bytes: 0, restored: [] };
  const fetched = await remote.fetchObjects(refsOf(absent));
  if (fetched.corrupt.length > 0) throw objectsCorruptError(remote, fetched.corrupt);
  const restored: string[] = [];
  for (const o of absent) {
    if (!(await cache.has(o.info))) continue;
    await cache.checkout(o.info, join(root, o.path));
    restored.push(o.path);
  }
  return { objects: fetched.fetched, bytes: fetched.bytes, restored };
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
