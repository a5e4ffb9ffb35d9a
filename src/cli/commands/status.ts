import { status } from '../../api/status.js';
import { reportSkippedRecords } from '../record-problems.js';
import { describeReason } from '../../lockfile/stale.js';
import { ExitCode } from '../../core/errors.js';
import { styleFor } from '../../report/style.js';

/**
 * Prints each stage's state; exit code 0 whether stale or not (like DVC), 1 when a pointer or
 * lock record could not be checked. The JSON form is for scripts. `-q` prints nothing but the
 * skipped records and exits 1 when anything is stale (DVC's meaning), so CI can gate on it.
 */
export async function statusCommand(targets: string[], opts: { json?: boolean; quiet?: boolean }): Promise<number> {
  const result = await status({ targets });
  const skipped = reportSkippedRecords(result.problems, result.sources);
  const { stages } = result;
  const changedData = result.data.filter((d) => d.state !== 'up-to-date');
  const stale = stages.filter((st) => st.state === 'stale' || st.staleUpstream.length > 0);
  if (opts.quiet) return stale.length === 0 && changedData.length === 0 && skipped === 0 ? ExitCode.ok : ExitCode.failure;
  if (opts.json) {
    const { sources: _sources, ...plain } = result;
    process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
    return skipped;
  }
  const s = styleFor(process.stdout);
  if (stale.length === 0 && changedData.length === 0) {
    process.stdout.write(skipped === 0 ? 'Data and pipelines are up to date.\n' : 'Pipelines and the data that could be checked are up to date.\n');
    return skipped;
  }
  // One write: 32k stale stages are 64k lines, and a write per line cost a tenth of the run.
  const lines: string[] = [];
  for (const st of stale) {
    lines.push(`${s.bold(st.id)}:\n`);
    for (const r of st.reasons) lines.push(`  ${s.yellow(describeReason(r))}\n`);
    if (st.staleUpstream.length > 0) lines.push(`  ${s.dim(`after upstream: ${st.staleUpstream.join(', ')}`)}\n`);
  }
  for (const d of changedData) {
    lines.push(`${s.bold(d.pointer)}:\n  ${s.yellow(`${d.state}: ${d.path}`)}\n`);
  }
  process.stdout.write(lines.join(''));
  return skipped;
}
