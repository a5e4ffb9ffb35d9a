import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { error, type Diagnostic } from '../core/diagnostics.js';
import { didYouMean } from '../core/suggest.js';
import type { Dag } from '../graph/dag.js';
import { pointerPathFor } from './pointer.js';

/** Names of one folder offered as "did you mean" (a huge folder is not listed whole). */
const MAX_SIBLINGS = 2000;

/**
 * A dep that no stage produces and that does not exist cannot appear while `repro` runs: it is a
 * validation error at the dep's line, found before anything runs, with the closest existing path
 * or stage output, or the pointer file that tracks it (`dvcts checkout` brings it back). Frozen
 * stages never run, so their deps are not checked. `pulling` (repro --pull): data a pointer file
 * tracks will be pulled first, so it is not missing.
 */
export async function missingDeps(root: string, dag: Dag, order: readonly string[], pulling = false): Promise<Diagnostic[]> {
  const found: Diagnostic[] = [];
  const checked = new Map<string, Promise<boolean>>();
  const exists = (path: string): Promise<boolean> => checked.get(path) ?? checked.set(path, pathExists(join(root, path))).get(path)!;
  for (const id of order) {
    const stage = dag.byId.get(id)!;
    if (stage.frozen) continue;
    for (const dep of stage.deps) {
      if (dag.producers(dep.path).length > 0 || (await exists(dep.path))) continue;
      const pointer = await trackingPointer(dep.path, exists);
      if (pulling && pointer !== undefined) continue;
      const hint = pointer !== undefined ? `it is tracked by ${pointer}: \`dvcts checkout ${pointer}\` puts the data back` : await closest(root, dag, dep.path, exists);
      found.push(error('E_DEP_MISSING', `dependency "${dep.path}" of stage "${stage.name}" does not exist, and no stage produces it`, dep.range, hint));
    }
  }
  return found;
}

/** The pointer file that tracks `path` or a folder above it. */
async function trackingPointer(path: string, exists: (path: string) => Promise<boolean>): Promise<string | undefined> {
  for (let p = path; p !== '.' && p !== ''; p = posix.dirname(p)) {
    if (await exists(pointerPathFor(p))) return pointerPathFor(p);
  }
  return undefined;
}

async function closest(root: string, dag: Dag, path: string, exists: (path: string) => Promise<boolean>): Promise<string> {
  const outputs = dag.stages.flatMap((s) => s.outs.map((o) => o.path));
  const close = didYouMean(path, [...(await siblings(root, path, exists)), ...outputs]);
  return close ?? 'create it, track it with `dvcts add`, or add the stage that produces it';
}

/** Project-relative paths in the nearest existing folder above `path`. */
async function siblings(root: string, path: string, exists: (path: string) => Promise<boolean>): Promise<string[]> {
  let dir = posix.dirname(path);
  while (dir !== '.' && !(await exists(dir))) dir = posix.dirname(dir);
  try {
    const names = (await readdir(join(root, dir))).slice(0, MAX_SIBLINGS);
    return names.map((n) => (dir === '.' ? n : `${dir}/${n}`));
  } catch {
    return [];
  }
}

async function pathExists(abs: string): Promise<boolean> {
  try {
    await stat(abs);
    return true;
  } catch {
    return false;
  }
}
