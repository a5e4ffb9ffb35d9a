import { gc, type GcScope } from '../../api/gc.js';
import { DvctsError, ExitCode } from '../../core/errors.js';

interface Flags {
  workspace?: boolean;
  allCommits?: boolean;
  allBranches?: boolean;
  allTags?: boolean;
  dry?: boolean;
  wait: boolean;
}

export async function gcCommand(f: Flags): Promise<void> {
  const result = await gc({
    scope: scopeOf(f),
    dry: f.dry ?? false,
    wait: f.wait,
    onWait: (holder) => process.stderr.write(`waiting for ${holder} to release the project lock...\n`),
  });
  const scanned = result.scope === 'workspace' ? 'the workspace' : `the workspace and ${result.commits} commit(s) (--${result.scope})`;
  const verb = result.dry ? 'Would remove' : 'Removed';
  process.stdout.write(`${verb} ${result.removed} object(s), ${formatBytes(result.bytesFreed)} (${result.bytesFreed} bytes); kept ${result.kept} referenced by ${scanned}\n`);
}

function scopeOf(f: Flags): GcScope {
  const chosen: GcScope[] = [];
  if (f.workspace) chosen.push('workspace');
  if (f.allCommits) chosen.push('all-commits');
  if (f.allBranches) chosen.push('all-branches');
  if (f.allTags) chosen.push('all-tags');
  if (chosen.length > 1) {
    throw new DvctsError('E_USAGE', `choose one of --workspace, --all-commits, --all-branches, --all-tags (got ${chosen.map((s) => `--${s}`).join(', ')})`, {
      hint: '--all-commits keeps the most; the workspace is always kept',
      exitCode: ExitCode.usage,
    });
  }
  return chosen[0] ?? 'workspace';
}

function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
