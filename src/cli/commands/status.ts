import { status } from '../../api/status.js';
import { describeReason } from '../../lockfile/stale.js';
import { ExitCode } from '../../core/errors.js';
import { styleFor } from '../../report/style.js';

/**
 * Prints each stage's state; exit code 0 either way (like DVC), the JSON form is for scripts.
 * `-q` prints nothing and exits 1 when anything is stale (DVC's meaning), so CI can gate on it.
 */
export async function statusCommand(targets: string[], opts: { json?: boolean; quiet?: boolean }): Promise<number> {
  const result = await status({ targets });
  const { stages } = result;
  const changedData = result.data.filter((d) => d.state !== 'up-to-date');
  const stale = stages.filter((st) => st.state === 'stale' || st.staleUpstream.length > 0);
  if (opts.quiet) return stale.length === 0 && changedData.length === 0 ? ExitCode.ok : ExitCode.failure;
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.ok;
  }
  const s = styleFor(process.stdout);
  if (stale.length === 0 && changedData.length === 0) {
    process.stdout.write('Data and pipelines are up to date.\n');
    return ExitCode.ok;
  }
  for (const st of stale) {
    process.stdout.write(`${s.bold(st.id)}:\n`);
    for (const r of st.reasons) process.stdout.write(`  ${s.yellow(describeReason(r))}\n`);
    if (st.staleUpstream.length > 0) process.stdout.write(`  ${s.dim(`after upstream: ${st.staleUpstream.join(', ')}`)}\n`);
  }
  for (const d of changedData) {
    process.stdout.write(`${s.bold(d.pointer)}:\n  ${s.yellow(`${d.state}: ${d.path}`)}\n`);
  }
  return ExitCode.ok;
}
