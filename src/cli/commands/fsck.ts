import { fsck, type Defect, type FsckProblem } from '../../api/fsck.js';
import { ExitCode } from '../../core/errors.js';
import { activityProgress } from '../../report/activity-progress.js';
import { styleFor } from '../../report/style.js';

// Uses printed per problem; --json lists them all.
const USES_SHOWN = 5;

/** Prints each corrupt or missing object with what uses it and how to fix it; exit 1 when anything is wrong. */
export async function fsckCommand(opts: { json?: boolean; jobs?: number; quiet?: boolean }): Promise<number> {
  const progress = activityProgress({ quiet: opts.quiet ?? false });
  const result = await fsck({ progress: progress.activity, ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}) }).finally(() => progress.stop());
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.ok ? ExitCode.ok : ExitCode.failure;
  }
  const s = styleFor(process.stdout);
  for (const p of [...result.corrupt, ...result.missing]) {
    const label = p.status === 'corrupt' ? s.red('corrupt') : s.yellow('missing');
    process.stdout.write(`${label} ${p.id}${p.defect ? `: ${describeDefect(p.defect)}` : ''}\n`);
    process.stdout.write(`    object:  ${p.objectPath}\n`);
    for (const line of describeUses(p)) process.stdout.write(`    used by: ${line}\n`);
    process.stdout.write(`    fix:     ${p.fix}\n`);
  }
  for (const u of result.unreadable) {
    process.stdout.write(`${s.red('unreadable')} ${u.file}: [${u.code}] ${u.message}\n    its outputs were not checked; fix the file first\n`);
  }
  if (result.tempFiles.length > 0) {
    process.stdout.write(`note: ${result.tempFiles.length} temp file(s) of interrupted writes in the cache (not objects; safe to delete while no dvcts command runs)\n`);
  }
  const summary = `checked ${result.checked} object(s), ${result.bytes} bytes: ${result.corrupt.length} corrupt, ${result.missing.length} missing`;
  const unreadable = result.unreadable.length > 0 ? `, ${result.unreadable.length} unreadable pointer/lock file(s)` : '';
  process.stdout.write(`${result.ok ? s.green(summary) : s.bold(summary + unreadable)}\n`);
  return result.ok ? ExitCode.ok : ExitCode.failure;
}

function describeDefect(d: Defect): string {
  switch (d.kind) {
    case 'size':
      return `${d.actualSize} bytes, but recorded as ${d.expectedSize}`;
    case 'content':
      return `content does not match its id (it hashes to ${d.actualId}, ${d.actualSize} bytes)`;
    case 'manifest':
      return `folder manifest does not parse: ${d.reason}`;
  }
}

function describeUses(p: FsckProblem): string[] {
  if (p.usedBy.length === 0) return ['nothing in the work tree'];
  const lines = p.usedBy.slice(0, USES_SHOWN).map((u) => {
    const stage = u.stage !== undefined ? ` (stage ${u.stage})` : '';
    return `${u.file}${stage} -> ${u.path}`;
  });
  if (p.usedBy.length > USES_SHOWN) lines.push(`... and ${p.usedBy.length - USES_SHOWN} more (see --json)`);
  return lines;
}
