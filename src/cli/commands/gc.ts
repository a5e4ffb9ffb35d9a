import { gcCloud } from '../../api/gc-cloud.js';
import { gc } from '../../api/gc.js';
import { describeRemote } from '../../remote/errors.js';
import { activityProgress } from '../../report/activity-progress.js';
import { formatBytes } from '../../report/format-bytes.js';
import { scopeOf, type ScopeFlags } from '../scope-flags.js';

interface Flags extends ScopeFlags {
  dry?: boolean;
  cloud?: boolean;
  remote?: string;
  jobs?: number;
  keepRecent: number;
  force?: boolean;
  wait: boolean;
  json?: boolean;
  quiet?: boolean;
}

export async function gcCommand(f: Flags): Promise<void> {
  const scope = scopeOf(f);
  const scanned = (commits: number): string => (scope === 'workspace' ? 'the workspace' : `the workspace and ${commits} commit(s) (--${scope})`);
  const freed = (n: number, bytes: number): string => `${f.dry ? 'Would remove' : 'Removed'} ${n} object(s), ${formatBytes(bytes)} (${bytes} bytes)`;
  if (f.cloud) {
    const r = await gcCloud({
      scope,
      dry: f.dry ?? false,
      graceMs: f.keepRecent * 60_000,
      ...(f.remote !== undefined ? { remote: f.remote } : {}),
      ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
    });
    const recent = r.recent > 0 ? `; kept ${r.recent} unreferenced object(s) younger than ${f.keepRecent} minute(s)` : '';
    const swept = r.swept > 0 ? `; cleaned up ${r.swept} interrupted upload(s)` : '';
    process.stdout.write(`${freed(r.removed, r.bytesFreed)} from ${describeRemote(r.remote)}; kept ${r.kept} referenced by ${scanned(r.commits)} or the remote's run-cache${recent}${swept}\n`);
    return;
  }
  const progress = activityProgress({ quiet: f.quiet ?? false });
  const result = await gc({
    scope,
    dry: f.dry ?? false,
    force: f.force ?? false,
    wait: f.wait,
    onWait: (holder) => process.stderr.write(`waiting for ${holder} to release the project lock...\n`),
    progress: progress.activity,
  }).finally(() => progress.stop());
  for (const path of result.skipped) process.stderr.write(`note: skipped ${path}: not an object file (gc never follows links in the cache)\n`);
  if (f.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(`${freed(result.removed, result.bytesFreed)}; kept ${result.kept} referenced by ${scanned(result.commits)}\n`);
}
