import { add } from '../../api/add.js';
import { activityProgress } from '../../report/activity-progress.js';
import { interruptSignal } from '../interruption.js';

export async function addCommand(paths: string[], opts: { wait: boolean; json?: boolean; quiet?: boolean }): Promise<void> {
  const progress = activityProgress({ quiet: opts.quiet ?? false });
  const added = await add({
    paths,
    wait: opts.wait,
    onWait: (holder) => process.stderr.write(`waiting for ${holder} to release the project lock...\n`),
    progress: progress.activity,
    signal: interruptSignal(),
  }).finally(() => progress.stop());
  const gitignores = [...new Set(added.flatMap((a) => a.gitignores))];
  if (opts.json) {
    const entries = added.map((a) => ({ path: a.path, pointer: a.pointer, ...a.info }));
    process.stdout.write(`${JSON.stringify({ added: entries, gitignores }, null, 2)}\n`);
    return;
  }
  for (const a of added) {
    const what = a.info.nfiles !== undefined ? `${a.info.nfiles} files, ${a.info.size} bytes` : `${a.info.size} bytes`;
    process.stdout.write(`Added ${a.path} (${what}) -> ${a.pointer}\n`);
  }
  const pointers = added.map((a) => a.pointer);
  if (added.length > 0 && !opts.quiet) process.stderr.write(`\nTo track the changes with git, run:\n\n    git add ${[...pointers, ...gitignores].join(' ')}\n`);
}
