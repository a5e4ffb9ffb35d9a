import { checkout } from '../../api/checkout.js';
import { activityProgress } from '../../report/activity-progress.js';
import { interruptSignal } from '../interruption.js';
import { reportSkippedRecords } from '../record-problems.js';

interface Flags {
  rev?: string;
  relink?: boolean;
  force?: boolean;
  wait: boolean;
  json?: boolean;
  quiet?: boolean;
}

export async function checkoutCommand(targets: string[], f: Flags): Promise<number> {
  const progress = activityProgress({ quiet: f.quiet ?? false });
  const result = await checkout({
    progress: progress.activity,
    signal: interruptSignal(),
    targets,
    relink: f.relink ?? false,
    force: f.force ?? false,
    wait: f.wait,
    ...(f.rev !== undefined ? { rev: f.rev } : {}),
    onWait: (holder) => process.stderr.write(`waiting for ${holder} to release the project lock...\n`),
  }).finally(() => progress.stop());
  if (f.json) {
    const { sources, ...plain } = result;
    process.stdout.write(`${JSON.stringify({ ...plain, ...(f.rev !== undefined ? { rev: f.rev } : {}) }, null, 2)}\n`);
    return reportSkippedRecords(result.problems, sources);
  }
  for (const o of result.overwritten) {
    process.stderr.write(`note: overwrote ${o.path}; its previous content is kept in the cache as ${o.saved.id}\n`);
  }
  for (const s of result.skipped) process.stderr.write(`note: skipped ${s.path}: ${s.reason}\n`);
  for (const path of result.restored) process.stdout.write(`M\t${path}\n`);
  const at = f.rev !== undefined ? ` at ${f.rev}` : '';
  process.stdout.write(`${result.restored.length} restored, ${result.unchanged.length} unchanged${at}\n`);
  return reportSkippedRecords(result.problems, result.sources);
}
