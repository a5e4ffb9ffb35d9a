import { isDirId } from '../core/ids.js';
import { loadProject } from '../pipeline/load.js';
import type { ObjectRef } from '../remote/index.js';
import { builtins, type ProjectOptions } from './builtins.js';
import { selectOutputs } from './checkout-targets.js';
import { splitUncached } from './checkout.js';
import { outputsInScope, type VersionScope } from './committed-outputs.js';
import type { TrackedOutput } from './references.js';

export interface TransferScope extends ProjectOptions {
  /** Pointer files, data paths or stages; default: everything recorded. */
  readonly targets?: readonly string[];
  /** The work tree only (default), or also the versions that commits record (--all-commits, ...). */
  readonly scope?: VersionScope;
  /** The versions a git revision records instead of the work tree's (`--rev`). */
  readonly rev?: string;
}

export interface ScopedOutputs {
  readonly outputs: readonly TrackedOutput[];
  /** Recorded outputs that the cache never holds (`cache: false`). */
  readonly skipped: readonly { path: string; reason: string }[];
  readonly commits: number;
}

/** The outputs push, fetch, pull and status --cloud work on; one id may appear under several paths. */
export async function outputsToTransfer(root: string, cwd: string, opts: TransferScope, command: string): Promise<ScopedOutputs> {
  const scope = opts.scope ?? 'workspace';
  const { outputs, commits } = await outputsInScope(root, scope, `${command} --${scope}`, opts.rev);
  // Invalid pipelines must not block moving data: only the stages that loaded are used.
  const stages = (await loadProject(root, { builtins: opts.builtins ?? builtins })).spec.stages;
  const base = opts.rev ?? 'the workspace';
  const label = scope === 'workspace' ? base : `${base} or ${commits} commit(s)`;
  const { cached, skipped } = splitUncached(selectOutputs(root, cwd, outputs, opts.targets ?? [], stages, label), stages);
  return { outputs: cached, skipped, commits };
}

/** What to transfer for some outputs: a file's size is known; a folder's manifest size is not. */
export function refsOf(outputs: readonly TrackedOutput[]): ObjectRef[] {
  return outputs.map((o) => (isDirId(o.info.id) ? { id: o.info.id } : { id: o.info.id, size: o.info.size }));
}
