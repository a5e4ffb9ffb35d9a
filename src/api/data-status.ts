import { join } from 'node:path';
import type { Cache, PathInfo } from '../cache/index.js';
import type { Diagnostic } from '../core/diagnostics.js';
import { POINTER_SUFFIX } from '../core/path-rule.js';
import { workspaceSnapshot } from './metadata-files.js';
import { reachableOutputs, readTrackedOutputs } from './references.js';

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
  readonly info: PathInfo;
}

export interface TrackedDataResult {
  /** Records that pass every check (see readTrackedOutputs) and reach the work tree through real folders. */
  readonly tracked: TrackedData[];
  /** Pointer files or records that were skipped (unreadable, invalid, unsafe path), located. */
  readonly problems: Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
}

/** Every path recorded by the pointer files of the work tree that dvcts may act on, and what was skipped. */
export async function trackedData(root: string): Promise<TrackedDataResult> {
  const workspace = workspaceSnapshot(root);
  const pointers = { ...workspace, files: async () => (await workspace.files()).filter((f) => f.endsWith(POINTER_SUFFIX)) };
  const records = await readTrackedOutputs(pointers);
  const outputs = await reachableOutputs(root, records.outputs, records.problems);
  return { tracked: outputs.map((o) => ({ pointer: o.source, path: o.path, info: o.info })), problems: records.problems, sources: records.sources };
}

/**
 * Checks every pointer file of the work tree against its data (the state cache makes an
 * unchanged file a stat, not a read), like the `.dvc` part of `dvc status`. A broken pointer
 * file is reported and the others are still checked.
 */
export async function dataStatus(root: string, cache: Cache): Promise<{ data: DataStatus[] } & Omit<TrackedDataResult, 'tracked'>> {
  const { tracked, problems, sources } = await trackedData(root);
  const data = await Promise.all(
    tracked.map(async ({ pointer, path, info }): Promise<DataStatus> => {
      const now = await cache.hashPath(join(root, path));
      const state = now === undefined ? 'missing' : now.id === info.id ? 'up-to-date' : 'modified';
      return { pointer, path, state };
    }),
  );
  return { data, problems, sources };
}
