import { init } from '../../api/init.js';

export async function initCommand(opts: { force?: boolean }): Promise<void> {
  const result = await init({ force: opts.force ?? false });
  process.stdout.write(`Initialized dvcts project in ${result.root}${result.git ? '' : ' (not a git repository: versions by --rev need git)'}\n`);
}
