import { join, posix } from 'node:path';
import type { Cache } from '../cache/index.js';
import { workspaceSnapshot } from './metadata-files.js';
import { parsePointer, POINTER_SUFFIX, type PointerOut } from './pointer.js';

/** The state of one path tracked with `dvcts add`, compared with its pointer file. */
export interface DataStatus {
  readonly pointer: string;
  /** Project-relative path of the data. */
  readonly path: string;
  readonly state: 'up-to-date' | 'modified' | 'missing';
}

/** One path tracked with `dvcts add`, as its pointer file records it. */
export interface TrackedData {
  readonly pointer: string;
  /** Project-relative path of the data. */
  readonly path: string;
  readonly out: PointerOut;
}

/** Every path recorded by the pointer files of the work tree. */
export async function trackedData(root: string): Promise<TrackedData[]> {
  const snapshot = workspaceSnapshot(root);
  const pointers = (await snapshot.files()).filter((f) => f.endsWith(POINTER_SUFFIX));
  const parsed = await Promise.all(
    pointers.map(async (pointer) => parsePointer(await snapshot.read(pointer), pointer).map((out) => ({ pointer, path: posix.join(posix.dirname(pointer), out.path), out }))),
  );
  return parsed.flat();
}

/**
 * Checks every pointer file of the work tree against its data (the state cache makes an
 * unchanged file a stat, not a read), like the `.dvc` part of `dvc status`.
 */
export async function dataStatus(root: string, cache: Cache): Promise<DataStatus[]> {
  return Promise.all(
    (await trackedData(root)).map(async ({ pointer, path, out }): Promise<DataStatus> => {
      const now = await cache.hashPath(join(root, path));
      const state = now === undefined ? 'missing' : now.id === out.id ? 'up-to-date' : 'modified';
      return { pointer, path, state };
    }),
  );
}
