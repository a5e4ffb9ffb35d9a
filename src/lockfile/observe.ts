import { join } from 'node:path';
import type { Cache, PathInfo } from '../cache/index.js';
import { DvctsError } from '../core/errors.js';
import type { ParamRef, StageSpec } from '../core/spec.js';
import type { ParamsReader } from '../pipeline/params.js';
import type { Observed } from './stale.js';
import type { LockEntry, LockedParams, LockedPath } from './types.js';

/** Reads what a stage looks like right now: its definition, dep/out ids (state cache), param values. */
export async function observeStage(root: string, stage: StageSpec, cache: Pick<Cache, 'hashPath'>, params: ParamsReader): Promise<Observed> {
  const infos = new Map<string, PathInfo | undefined>();
  const observe = async (path: string): Promise<void> => {
    infos.set(path, await cache.hashPath(join(root, path)));
  };
  await Promise.all(stage.deps.map((d) => observe(d.path)));
  await Promise.all(stage.outs.map((o) => observe(o.path)));
  return observedFrom(stage, infos, await observeParams(stage.params, params));
}

/**
 * The observation of `stage` from what its deps and outs are now (undefined: missing) and its
 * param values. Plain loops, no closure or spread: a status of 32k stages makes one per stage.
 */
export function observedFrom(stage: StageSpec, infos: ReadonlyMap<string, PathInfo | undefined>, params: LockedParams): Observed {
  const missing = new Set<string>();
  const deps: LockedPath[] = [];
  for (const dep of stage.deps) deps.push(observedPath(dep.path, infos, missing));
  const outs: LockedPath[] = [];
  for (const out of stage.outs) outs.push(observedPath(out.path, infos, missing));
  const entry = definitionOf(stage) as { -readonly [K in keyof LockEntry]: LockEntry[K] }; // a new object: its keys first, as before
  entry.deps = deps;
  entry.params = params;
  entry.outs = outs;
  return { entry, missing };
}

function observedPath(path: string, infos: ReadonlyMap<string, PathInfo | undefined>, missing: Set<string>): LockedPath {
  const info = infos.get(path);
  if (info === undefined) missing.add(path);
  return lockedPath(path, info);
}

/** The part of a lock entry that comes from the YAML alone. */
export function definitionOf(stage: StageSpec): Pick<LockEntry, 'cmd' | 'uses' | 'with' | 'version'> {
  if (stage.uses === undefined) return { cmd: stage.cmd ?? [] };
  if (stage.builtin === undefined) {
    // The loader binds every `uses:` or reports it: a spec without a binding was built by hand.
    throw new DvctsError('E_INTERNAL', `stage "${stage.name}" uses built-in "${stage.uses}" but was not bound to one`);
  }
  return { uses: stage.uses, with: stage.with ?? {}, version: stage.builtin.version };
}

export function lockedPath(path: string, info: PathInfo | undefined): LockedPath {
  // A missing path is recorded with an all-zero id so that "missing" never equals a real id.
  if (info === undefined) return { path, hash: 'xxh128', id: '0'.repeat(32) as LockedPath['id'], size: 0 };
  if (info.nfiles === undefined) return { path, hash: info.hash, id: info.id, size: info.size };
  return { path, hash: info.hash, id: info.id, size: info.size, nfiles: info.nfiles };
}

export async function observeParams(refs: readonly ParamRef[], reader: ParamsReader): Promise<LockedParams> {
  const byFile: Record<string, Record<string, unknown>> = {};
  for (const ref of refs) {
    const value = await reader.read(ref);
    const values = (byFile[ref.file] ??= {});
    if (ref.key !== undefined) {
      if (value === undefined) {
        throw new DvctsError('E_PARAM_MISSING', `param "${ref.key}" is not in ${ref.file}`, {
          data: { file: ref.file, key: ref.key, range: ref.range },
          hint: `add "${ref.key}" to ${ref.file} or remove it from the stage's params`,
        });
      }
      values[ref.key] = value;
    } else if (typeof value === 'object' && value !== null) {
      Object.assign(values, value); // `- file.yaml:` tracks every top-level key
    }
  }
  return byFile;
}
