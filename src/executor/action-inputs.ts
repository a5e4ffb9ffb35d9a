import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Cache } from '../cache/index.js';
import { DvctsError } from '../core/errors.js';
import { lockedPath } from '../lockfile/observe.js';
import type { LockedPath } from '../lockfile/types.js';
import type { Action } from '../scheduler/executor.js';
import type { RemoteStore } from './scratch-workspace.js';

/**
 * What a worker must place before running the action, stored in the project's cache and pushed:
 * the deps (code files that git tracks are deps too, and not cached yet), the params files the
 * stage reads (a script may read params.yaml itself), and `persist` outputs that exist (the stage
 * builds on them). A dep whose content is not the one observed changed during the run.
 */
export async function pushActionInputs(root: string, cache: Cache, remote: RemoteStore, action: Action): Promise<LockedPath[]> {
  const { stage } = action;
  const inputs: LockedPath[] = [];
  for (const dep of action.deps) {
    const saved = await cache.save(join(root, dep.path));
    if (saved.id !== dep.id) {
      throw new DvctsError('E_FILE_CHANGED', `dependency "${dep.path}" of stage "${stage.name}" changed while its job was being prepared`, {
        data: { path: dep.path },
        hint: 'wait for whatever writes it to finish, then run again',
      });
    }
    inputs.push(dep);
  }
  const extra = [...new Set(stage.params.map((p) => p.file)), ...stage.outs.filter((o) => o.persist).map((o) => o.path)];
  for (const path of extra) {
    if (inputs.some((i) => i.path === path) || !(await exists(join(root, path)))) continue;
    inputs.push(lockedPath(path, await cache.save(join(root, path))));
  }
  const pushed = await remote.pushObjects(inputs);
  if (pushed.incomplete.length > 0) {
    const paths = inputs.filter((i) => pushed.incomplete.includes(i.id)).map((i) => i.path);
    throw new DvctsError('E_WORKER_INPUT_MISSING', `could not push ${paths.join(', ')} of stage "${stage.name}" to remote ${remote.location}`, {
      data: { stage: stage.id, paths, worker: '-', remote: remote.location },
    });
  }
  return inputs;
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}
