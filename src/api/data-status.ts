import { join, posix } from 'node:path';
import type { Cache } from '../cache/index.js';
import { workspaceSnapshot } from './metadata-files.js';
import { parsePointer, POINTER_SUFFIX } from './pointer.js';

/** The state of one path tracked with `dvcts add`, compared with its pointer file. */
export interface DataStatus {
  readonly pointer: string;
  /** Project-relative path of the data. */
  readonly path: string;
  readonly state: 'up-to-date' | 'modified' | 'missing';
}

/**
 * Checks every pointer file of the work tree against its data (the state cache makes an
 * unchanged file a stat, not a read), like the `.dvc` part of `dvc status`.
 */
export async function dataStatus(root: string, cache: Cache): Promise<DataStatus[]> {
  const snapshot = workspaceSnapshot(root);
  const pointers = (await snapshot.files()).filter((f) => f.endsWith(POINTER_SUFFIX));
  const results = await Promise.all(
    pointers.map(async (pointer) => {
      const outs = parsePointer(await snapshot.read(pointer), pointer);
      return Promise.all(
        outs.map(async (out): Promise<DataStatus> => {
          const path = posix.join(posix.dirname(pointer), out.path);
          const now = await cache.hashPath(join(root, path));
          const state = now === undefined ? 'missing' : now.id === out.id ? 'up-to-date' : 'modified';
          return { pointer, path, state };
        }),
      );
    }),
  );
  return results.flat();
}
