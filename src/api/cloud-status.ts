import { resolve } from 'node:path';
import type { RemoteLabel } from '../remote/errors.js';
import { findProjectRoot } from './project.js';
import { openProjectRemote, type RemoteChoice } from './project-remote.js';
import { outputsToTransfer, refsOf, type TransferScope } from './transfer-scope.js';

/**
 * Where an output's data is: `in-sync` (cache and remote), `local-only` (push it), `remote-only`
 * (fetch it), `mixed` (both: some objects only here, some only there), `missing` (some objects
 * in neither place: reproduce or re-add it).
 */
export type CloudState = 'in-sync' | 'local-only' | 'remote-only' | 'mixed' | 'missing';

export interface CloudOutputStatus {
  readonly path: string;
  readonly source: string;
  readonly stage?: string;
  readonly id: string;
  readonly state: CloudState;
  /** Objects (a folder: its files and manifest) by where they are. */
  readonly objects: { readonly total: number; readonly inBoth: number; readonly localOnly: number; readonly remoteOnly: number; readonly missing: number };
}

export interface CloudStatusResult {
  readonly remote: RemoteLabel;
  readonly outputs: readonly CloudOutputStatus[];
}

/** `dvcts status --cloud`: compares the cache with a remote for every recorded output, moving nothing. */
export async function cloudStatus(opts: TransferScope & RemoteChoice = {}): Promise<CloudStatusResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const root = findProjectRoot(cwd);
  const { outputs } = await outputsToTransfer(root, cwd, opts, 'status --cloud');
  const remote = await openProjectRemote(root, opts);
  try {
    const states = new Map((await remote.compareObjects(refsOf(outputs))).map((s) => [s.id as string, s]));
    return {
      remote: { name: remote.name, location: remote.location },
      outputs: outputs.map((o) => {
        const s = states.get(o.info.id)!;
        const state: CloudState =
          s.missing > 0 ? 'missing' : s.localOnly > 0 && s.remoteOnly > 0 ? 'mixed' : s.localOnly > 0 ? 'local-only' : s.remoteOnly > 0 ? 'remote-only' : 'in-sync';
        const objects = { total: s.objects, inBoth: s.inBoth, localOnly: s.localOnly, remoteOnly: s.remoteOnly, missing: s.missing };
        return { path: o.path, source: o.source, ...(o.stage !== undefined ? { stage: o.stage } : {}), id: o.info.id, state, objects };
      }),
    };
  } finally {
    remote.close();
  }
}
