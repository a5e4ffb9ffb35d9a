import { repro } from '../../api/repro.js';
import { ExitCode } from '../../core/errors.js';
import { consoleReporter, summaryLine } from '../../report/console-reporter.js';

interface Flags {
  force?: boolean;
  singleItem?: boolean;
  downstream?: boolean;
  dry?: boolean;
  jobs?: number;
  keepGoing?: boolean;
  wait: boolean;
  runCache: boolean;
  pull?: boolean;
  remote?: string;
  quiet?: boolean;
}

export async function reproCommand(targets: string[], f: Flags): Promise<number> {
  const result = await repro({
    targets,
    force: f.force ?? false,
    single: f.singleItem ?? false,
    downstream: f.downstream ?? false,
    dry: f.dry ?? false,
    keepGoing: f.keepGoing ?? false,
    wait: f.wait,
    runCache: f.runCache,
    pull: f.pull ?? false,
    ...(f.remote !== undefined ? { remote: f.remote } : {}),
    ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
    onEvent: consoleReporter({ quiet: f.quiet ?? false }),
  });
  const failed = result.failed.length > 0;
  if (!f.quiet || failed) process.stderr.write(`${summaryLine(result)}\n`);
  return failed ? ExitCode.failure : ExitCode.ok;
}
