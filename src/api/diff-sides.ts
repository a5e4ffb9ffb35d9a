import { join } from 'node:path';
import type { Cache, PathInfo } from '../cache/index.js';
import { isDvctsError } from '../core/errors.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import type { TrackedOutput } from './references.js';
import { hashFolderFiles } from './workspace-files.js';

/** One side of a diff: every tracked file (and folder, with a trailing "/") by project-relative path. */
export interface FileState {
  readonly id: ObjectId;
  readonly size: number;
}

export interface DiffSide {
  readonly files: Map<string, FileState>;
  /** Folders whose manifest is not in the cache: compared as a whole only. */
  readonly unexpanded: string[];
}

/** The files recorded by pointer/lock files, folders expanded through their manifests. */
export async function recordedSide(cache: Cache, outputs: readonly TrackedOutput[]): Promise<DiffSide> {
  const side: DiffSide = { files: new Map(), unexpanded: [] };
  for (const o of outputs) await addOutput(cache, side, o.path, o.info);
  return side;
}

/** The files as they are in the workspace now, for the outputs the work tree's metadata records. */
export async function workspaceSide(cache: Cache, root: string, outputs: readonly TrackedOutput[]): Promise<DiffSide> {
  const side: DiffSide = { files: new Map(), unexpanded: [] };
  for (const o of outputs) {
    const abs = join(root, o.path);
    const current = await cache.hashPath(abs);
    if (current === undefined) continue;
    if (!isDirId(current.id) || (await cache.has(current))) {
      await addOutput(cache, side, o.path, current);
      continue;
    }
    // A changed folder has no manifest in the cache yet: hash its files (unchanged ones come from the state cache).
    side.files.set(`${o.path}/`, { id: current.id, size: current.size });
    for (const [rel, info] of await hashFolderFiles(cache, abs)) side.files.set(`${o.path}/${rel}`, { id: info.id, size: info.size });
  }
  return side;
}

async function addOutput(cache: Cache, side: DiffSide, path: string, info: PathInfo): Promise<void> {
  if (!isDirId(info.id)) {
    side.files.set(path, { id: info.id, size: info.size });
    return;
  }
  side.files.set(`${path}/`, { id: info.id, size: info.size });
  try {
    for (const e of await cache.readManifest(info.id)) side.files.set(`${path}/${e.path}`, { id: e.id, size: e.size });
  } catch (e) {
    if (!isDvctsError(e) || e.code !== 'E_OBJECT_MISSING') throw e;
    side.unexpanded.push(path);
  }
}
