import { describeReason } from '../lockfile/stale.js';
import type { RunEvent } from '../scheduler/events.js';
import type { RunDagResult } from '../scheduler/run-dag.js';
import { styleFor } from './style.js';

/** The short name shown for a stage id (`pipelines/text.yaml:split` -> `split`). */
export function stageLabel(id: string): string {
  return id.slice(id.lastIndexOf(':') + 1);
}

/**
 * Prints scheduler events for a person: each stage's log lines prefixed with `[stage]`, why a
 * stage runs, and on failure its exit code and last log lines. Status lines go to stderr so
 * that stdout carries only the stages' own output.
 */
export function consoleReporter(opts: { quiet?: boolean } = {}): (event: RunEvent) => void {
  const out = process.stdout;
  const err = process.stderr;
  const s = styleFor(err);
  const say = (line: string): void => void (opts.quiet ? undefined : err.write(`${line}\n`));
  return (e) => {
    switch (e.type) {
      case 'waiting-for-lock':
        err.write(`Waiting for the project lock held by ${e.holder}...\n`);
        break;
      case 'stage-skipped':
        say(s.dim(`Stage '${stageLabel(e.id)}' is ${e.why === 'frozen' ? 'frozen, skipping' : 'up to date'}`));
        break;
      case 'stage-would-run':
        say(`Would run stage '${stageLabel(e.id)}': ${e.reasons.map(describeReason).join('; ')}`);
        break;
      case 'stage-started':
        say(s.bold(`Running stage '${stageLabel(e.id)}'`) + s.dim(` (${e.reasons.map(describeReason).join('; ')})`));
        break;
      case 'stage-log':
        if (!opts.quiet) (e.stream === 'stderr' ? err : out).write(`${s.dim(`[${stageLabel(e.id)}]`)} ${e.line}\n`);
        break;
      case 'stage-restored':
        say(`Stage '${stageLabel(e.id)}' restored from the run-cache`);
        break;
      case 'stage-finished':
        say(s.green(`Stage '${stageLabel(e.id)}' done`) + s.dim(` in ${((e.at - e.startedAt) / 1000).toFixed(1)}s`));
        break;
      case 'stage-failed': {
        const f = e.failure;
        err.write(s.red(s.bold(`Stage '${stageLabel(e.id)}' failed`)) + `: ${f.message} [${f.code}]\n`);
        if (f.lastLines.length > 0) {
          err.write(`  last ${f.lastLines.length} line(s) of its log:\n`);
          for (const line of f.lastLines) err.write(`  | ${line}\n`);
        }
        if (f.hint) err.write(`  hint: ${f.hint}\n`);
        break;
      }
      case 'stage-blocked':
        err.write(s.yellow(`Stage '${stageLabel(e.id)}' not run: upstream stage '${stageLabel(e.by)}' failed`) + '\n');
        break;
    }
  };
}

export function summaryLine(result: RunDagResult): string {
  const parts = [`${result.done.length} stage(s) ok`];
  if (result.failed.length > 0) parts.push(`${result.failed.length} failed (${result.failed.map(stageLabel).join(', ')})`);
  if (result.blocked.length > 0) parts.push(`${result.blocked.length} not run after a failure`);
  if (result.notStarted.length > 0) parts.push(`${result.notStarted.length} not started (use --keep-going to run independent stages)`);
  return parts.join(', ');
}
