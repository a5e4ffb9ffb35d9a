import { repro } from '../../api/repro.js';
import { ExitCode } from '../../core/errors.js';
import { consoleReporter } from '../../report/console-reporter.js';
import { RunRecorder, summaryLine } from '../../report/run-report.js';
import { interruptSignal } from '../interruption.js';
import { interruptionOf } from '../../core/errors.js';

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
  executor?: 'local' | 'queue';
  queue?: string;
  queueName?: string;
  quiet?: boolean;
  json?: boolean;
}

/**
 * Stage logs and progress go to stderr; stdout has the result only: the JSON report with
 * --json, the plan with --dry (that is what a dry run is asked for).
 */
export async function reproCommand(targets: string[], f: Flags): Promise<number> {
  const dry = f.dry ?? false;
  const signal = interruptSignal();
  const recorder = new RunRecorder(dry);
  const human = consoleReporter({ quiet: f.quiet ?? false, dryPlanToStdout: dry && !f.json });
  const result = await repro({
    targets,
    force: f.force ?? false,
    single: f.singleItem ?? false,
    downstream: f.downstream ?? false,
    dry,
    keepGoing: f.keepGoing ?? false,
    wait: f.wait,
    runCache: f.runCache,
    pull: f.pull ?? false,
    ...(f.remote !== undefined ? { remote: f.remote } : {}),
    ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
    ...(f.executor !== undefined ? { executor: f.executor } : {}),
    ...(f.queue !== undefined ? { queue: f.queue } : {}),
    ...(f.queueName !== undefined ? { queueName: f.queueName } : {}),
    signal,
    onEvent: (e) => {
      recorder.observe(e);
      human(e);
    },
  });
  const report = recorder.finish(result);
  const failed = result.failed.length > 0;
  if (f.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (dry) process.stdout.write(`${summaryLine(report)}\n`);
  else if (!f.quiet || failed || signal.aborted) process.stderr.write(`${summaryLine(report)}\n`);
  if (signal.aborted) {
    const stopped = result.interrupted.length > 0 ? `stopped ${result.interrupted.map((id) => `'${id.slice(id.lastIndexOf(':') + 1)}'`).join(', ')} (partial outputs removed, nothing recorded); ` : '';
    process.stderr.write(`Interrupted by ${interruptionOf(signal)}: ${stopped}finished stages are recorded; the project lock is released. Run \`dvcts repro\` to continue.\n`);
    return ExitCode.interrupted;
  }
  return failed ? ExitCode.failure : ExitCode.ok;
}
