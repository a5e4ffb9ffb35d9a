import type { ExperimentOutcome } from '../../api/exp-execute.js';
import { expQueue, expRun } from '../../api/exp-run.js';
import { ExitCode } from '../../core/errors.js';
import { consoleReporter } from '../../report/console-reporter.js';
import { summaryLine } from '../../report/run-report.js';
import { styleFor } from '../../report/style.js';
import { interruptSignal } from '../interruption.js';
import { printChanges, type CompareFlags } from './compare.js';

interface RunFlags {
  setParam: string[];
  name?: string;
  temp?: boolean;
  queue?: boolean;
  jobs?: number;
  quiet?: boolean;
  json?: boolean;
}

export async function expRunCommand(targets: string[], f: RunFlags): Promise<number> {
  const common = { set: f.setParam, targets, ...(f.name !== undefined ? { name: f.name } : {}) };
  if (f.queue) {
    const job = await expQueue(common);
    if (f.json) process.stdout.write(`${JSON.stringify({ name: job.name, queued: job.queued }, null, 2)}\n`);
    else process.stderr.write(`Queued experiment ${job.name}; run the queue with \`dvcts queue start\`.\n`);
    return ExitCode.ok;
  }
  const signal = interruptSignal();
  const outcome = await expRun({
    ...common,
    signal,
    temp: f.temp ?? false,
    ...(f.jobs !== undefined ? { jobs: f.jobs } : {}),
    onEvent: consoleReporter({ quiet: f.quiet ?? false }),
  });
  if (signal.aborted) {
    process.stderr.write(`${summaryLine(outcome.report)}\nInterrupted: experiment ${outcome.job.name} was not recorded (stopped stages' partial outputs removed).\n`);
    return ExitCode.interrupted;
  }
  return reportOutcome(outcome, f);
}

function reportOutcome(outcome: ExperimentOutcome, f: RunFlags): number {
  const s = styleFor(process.stderr);
  const e = outcome.experiment;
  if (f.json) {
    const result = e ? { name: e.name, commit: e.commit, baseline: e.baseline, stages: e.info.stages } : { name: outcome.job.name, failed: true };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  }
  if (!f.quiet || e === undefined) process.stderr.write(`${summaryLine(outcome.report)}\n`);
  if (e === undefined) {
    process.stderr.write(s.red(`Experiment ${outcome.job.name} was not recorded: the run did not complete.\n`));
    return ExitCode.failure;
  }
  if (!f.quiet) {
    process.stderr.write(`${s.green(`Experiment ${e.name} recorded`)} as refs/exps/${e.name} on ${e.baseline.slice(0, 7)}; HEAD is unchanged.\n`);
    process.stderr.write(s.dim(`Compare with \`dvcts exp show\`; bring it into the workspace with \`dvcts exp apply ${e.name}\`.\n`));
  }
  return ExitCode.ok;
}

interface ShowFlags {
  json?: boolean;
  md?: boolean;
  csv?: boolean;
  sortBy?: string;
  sortOrder?: 'asc' | 'desc';
  onlyChanged?: boolean;
}

export async function expShowCommand(f: ShowFlags): Promise<number> {
  const { expShow } = await import('../../api/exp-show.js');
  const result = await expShow({
    ...(f.sortBy !== undefined ? { sortBy: f.sortBy, sortOrder: f.sortOrder ?? 'asc' } : {}),
    onlyChanged: f.onlyChanged ?? false,
  });
  for (const p of result.problems) process.stderr.write(`note: ${p}\n`);
  const { renderShow } = await import('../../report/render-exp-show.js');
  process.stdout.write(renderShow(result, f.json ? 'json' : f.csv ? 'csv' : f.md ? 'md' : 'text', styleFor(process.stdout)));
  return ExitCode.ok;
}

export async function expApplyCommand(name: string, f: { force?: boolean }): Promise<number> {
  const { expApply } = await import('../../api/exp-manage.js');
  const result = await expApply(name, { force: f.force ?? false });
  process.stderr.write(
    `Applied experiment ${name}: ${result.files.length} file(s) (${result.files.join(', ') || 'none'}), ${result.data.restored.length} data path(s) checked out. HEAD is unchanged.\n`,
  );
  for (const o of result.data.overwritten) process.stderr.write(`  overwrote ${o.path}; its content was saved to the cache as ${o.saved.id}\n`);
  return ExitCode.ok;
}

export async function expBranchCommand(name: string, branch: string): Promise<number> {
  const { expBranch } = await import('../../api/exp-manage.js');
  const e = await expBranch(name, branch);
  process.stderr.write(`Branch ${branch} created at experiment ${name} (${e.commit.slice(0, 7)}, on ${e.baseline.slice(0, 7)}).\n`);
  return ExitCode.ok;
}

export async function expRemoveCommand(names: string[], f: { all?: boolean; queue?: boolean }): Promise<number> {
  const { expRemove } = await import('../../api/exp-manage.js');
  if (names.length === 0 && !f.all && !f.queue) {
    process.stderr.write('error: name experiments to remove, or give --all (every experiment) or --queue (every queue entry)\n');
    return ExitCode.usage;
  }
  const removed = await expRemove(names, { all: f.all ?? false, queue: f.queue ?? false });
  process.stderr.write(removed.length === 0 ? 'Nothing to remove.\n' : `Removed ${removed.length}: ${removed.join(', ')}\n`);
  return ExitCode.ok;
}

export async function expDiffCommand(a: string | undefined, b: string | undefined, flags: CompareFlags): Promise<number> {
  const { expDiff } = await import('../../api/exp-diff.js');
  const result = await expDiff({ ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), all: flags.all === true });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.ok;
  }
  printChanges('Param', result.params, flags);
  printChanges('Metric', result.metrics, flags);
  return ExitCode.ok;
}
