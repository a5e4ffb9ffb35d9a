import { join, sep } from 'node:path';
import { mapLimit } from '../cache/concurrency.js';
import { openCache, type PathInfo } from '../cache/index.js';
import { resolveTargets, selectStages } from '../graph/targets.js';
import { observedFrom, observeParams } from '../lockfile/observe.js';
import { whyStale, type StaleReason } from '../lockfile/stale.js';
import { ParamsReader } from '../pipeline/params.js';
import type { Diagnostic } from '../core/diagnostics.js';
import type { StageSpec } from '../core/spec.js';
import { dataStatus, type DataStatus } from './data-status.js';
import { LockFiles } from './lock-files.js';
import type { ProjectOptions } from './builtins.js';
import { openProject } from './open-project.js';

const HASHED_AT_ONCE = 32;

export interface StageStatus {
  readonly id: string;
  readonly name: string;
  readonly file: string;
  readonly state: 'up-to-date' | 'stale' | 'frozen';
  /** Why the stage would run now, from its own deps/outs/params/definition. */
  readonly reasons: readonly StaleReason[];
  /** Upstream stages that are stale: this one may rerun after them, if their outputs change. */
  readonly staleUpstream: readonly string[];
}

export interface StatusResult {
  readonly stages: readonly StageStatus[];
  /** Data tracked with `dvcts add` (pointer files); only when no targets are given. */
  readonly data: readonly DataStatus[];
  /** Pointer files or records that could not be checked (unreadable, invalid, unsafe path), located. */
  readonly problems: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

export interface StatusOptions extends ProjectOptions {
  readonly targets?: readonly string[];
}

/** `dvcts status`: every selected stage and exactly why it is stale, without running anything. */
export async function status(opts: StatusOptions = {}): Promise<StatusResult> {
  const project = await openProject(opts);
  const targets = project.targets.length > 0 ? resolveTargets(project.dag, project.targets) : undefined;
  const { root, dag, config } = project;
  const order = selectStages(dag, targets);
  const cache = await openCache({ root, linkTypes: config.linkTypes });
  const lockFiles = await LockFiles.load(root, dag.stages);
  const params = new ParamsReader(root);
  try {
    // Nothing changes files during a status, so a path that is one stage's out and another's dep
    // is looked at once. A stat and the state cache answer most paths, synchronously (a promise
    // per path of 32k stages cost more than the stat); the rest are hashed, a few at once.
    const infos = new Map<string, PathInfo | undefined>();
    const toHash: string[] = [];
    // Stage paths are normalised and project-relative: the root and a slash make the absolute
    // path (path.join normalised each of 64k paths again).
    const rootPrefix = root.endsWith(sep) ? root : root + sep;
    const absolute = (path: string): string => (sep === '/' ? rootPrefix + path : join(root, path));
    const look = (path: string): void => {
      if (infos.has(path)) return;
      const known = cache.knownPath(absolute(path));
      if (known === undefined) toHash.push(path);
      infos.set(path, known === 'missing' ? undefined : known);
    };
    for (const id of order) {
      const stage = dag.byId.get(id)!;
      for (const dep of stage.deps) look(dep.path);
      for (const out of stage.outs) look(out.path);
    }
    await mapLimit(toHash, HASHED_AT_ONCE, async (path) => void infos.set(path, await cache.hashPath(join(root, path))));
    const observed: { stage: StageSpec; reasons: StaleReason[] }[] = [];
    for (const id of order) {
      const stage = dag.byId.get(id)!;
      // Most generated stages track no params: no await (a microtask each) for them.
      const values = stage.params.length === 0 ? {} : await observeParams(stage.params, params);
      observed.push({ stage, reasons: whyStale(stage, observedFrom(stage, infos, values), lockFiles.get(stage)) });
    }
    const stale = new Set<string>();
    const stages = observed.map(({ stage, reasons }): StageStatus => {
      // Order is topological, so every upstream stage was classified before this one.
      const staleUpstream = (dag.upstream.get(stage.id) ?? []).filter((u) => stale.has(u));
      if (reasons.length > 0 || staleUpstream.length > 0) stale.add(stage.id);
      const state = reasons.length > 0 ? 'stale' : stage.frozen ? 'frozen' : 'up-to-date';
      return { id: stage.id, name: stage.name, file: stage.file, state, reasons, staleUpstream };
    });
    const data = targets === undefined ? await dataStatus(root, cache) : { data: [], problems: [], sources: new Map() };
    return { stages, ...data };
  } finally {
    await cache.flush();
  }
}
