import type { ObjectId } from '../core/ids.js';
import type { RemoteLabel } from '../remote/errors.js';
import type { RemoteGcResult } from '../remote/index.js';
import { outputsInScope, type VersionScope } from './committed-outputs.js';
import { findProjectRoot } from './project.js';
import { openProjectRemote, type RemoteChoice } from './project-remote.js';

export interface GcCloudOptions extends RemoteChoice {
  readonly cwd?: string;
  /** Versions to keep besides the work tree's; default: the work tree only. */
  readonly scope?: VersionScope;
  readonly dry?: boolean;
  /** Objects younger than this are never removed (another machine may be pushing). Default: one hour. */
  readonly graceMs?: number;
}

export interface GcCloudResult extends RemoteGcResult {
  readonly remote: RemoteLabel;
  readonly scope: VersionScope;
  readonly commits: number;
  readonly dry: boolean;
}

export const DEFAULT_CLOUD_GRACE_MS = 60 * 60 * 1000;

/**
 * `dvcts gc --cloud`: removes the objects on a remote that no version in the scope and no
 * run-cache record on the remote uses. Other clones' unpushed commits are invisible here, so
 * keep the scope wide (--all-commits) on a shared remote.
 */
export async function gcCloud(opts: GcCloudOptions = {}): Promise<GcCloudResult> {
  const root = findProjectRoot(opts.cwd);
  const scope = opts.scope ?? 'workspace';
  const { outputs, commits } = await outputsInScope(root, scope, `gc --cloud --${scope}`);
  const remote = await openProjectRemote(root, opts);
  try {
    const dry = opts.dry ?? false;
    const keep = outputs.map((o) => o.info.id as ObjectId);
    const result = await remote.collectGarbage(keep, { dry, graceMs: opts.graceMs ?? DEFAULT_CLOUD_GRACE_MS });
    return { ...result, remote: { name: remote.name, location: remote.location }, scope, commits, dry };
  } finally {
    remote.close();
  }
}
