import type { VersionScope } from '../api/committed-outputs.js';
import { DvctsError, ExitCode } from '../core/errors.js';

export interface ScopeFlags {
  workspace?: boolean;
  allCommits?: boolean;
  allBranches?: boolean;
  allTags?: boolean;
}

/** `-w` / `-A` / `-a` / `-T`: at most one; the work tree is always part of the scope. */
export function scopeOf(f: ScopeFlags): VersionScope {
  const chosen: VersionScope[] = [];
  if (f.workspace) chosen.push('workspace');
  if (f.allCommits) chosen.push('all-commits');
  if (f.allBranches) chosen.push('all-branches');
  if (f.allTags) chosen.push('all-tags');
  if (chosen.length > 1) {
    throw new DvctsError('E_USAGE', `choose one of --workspace, --all-commits, --all-branches, --all-tags (got ${chosen.map((s) => `--${s}`).join(', ')})`, {
      hint: '--all-commits covers the most; the workspace is always included',
      exitCode: ExitCode.usage,
    });
  }
  return chosen[0] ?? 'workspace';
}
