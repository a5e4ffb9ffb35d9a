import { describeReason } from '../lockfile/stale.js';
import type { RunEvent } from '../scheduler/events.js';
import { ProgressView, type OutputStream } from './progress-view.js';
import { styleFor } from './style.js';

/** The short name shown for a stage id (`pipelines/text.yaml:split` -> `split`). */
export function stageLabel(id: string): string {
  return id.slice(id.lastIndexOf(':') + 1);
}

export interface ConsoleReporterOptions {
  readonly quiet?: boolean;
  /** repro --dry: what would happen is the command's result, written to stdout. */
  readonly dryPlanToStdout?: boolean;
  /** Streams (default process.stdout / process.stderr) and plain-progress period: for tests. */
  readonly stdout?: OutputStream;
  readonly stderr?: OutputStream;
  readonly progressEveryMs?: number;
}

/**
 * Prints scheduler events for a person: each stage's log lines prefixed with `[stage]` (`[stage@worker]`
 * when it runs on a queue worker), why a
 * stage runs, progress (on a TTY a line per running stage that becomes a bar when the stage
 * reports progress; periodic plain lines otherwise), and on failure its exit code and last log
 * lines. All of it goes to stderr (the work in progress); stdout carries only results: with
 * `dryPlanToStdout`, a dry run's decisions.
 */
export function consoleReporter(opts: ConsoleReporterOptions = {}): (event: RunEvent) => void {
  const out = opts.stdout ?? process.stdout;
  const err = opts.stderr ?? process.stderr;
  const s = styleFor(err);
  const progress = new ProgressView({ stream: err, ...(opts.progressEveryMs !== undefined ? { plainEveryMs: opts.progressEveryMs } : {}) });
  const write = (stream: OutputStream, text: string): void => progress.write(stream, text);
  const say = (line: string): void => void (opts.quiet ? undefined : write(err, `${line}\n`));
  const plan = opts.dryPlanToStdout ? (line: string): void => write(out, `${line}\n`) : say;
  return (e) => {
    switch (e.type) {
      case 'waiting-for-lock':
        write(err, `Waiting for the project lock held by ${e.holder}...\n`);
        break;
      case 'stage-skipped':
        plan(s.dim(`Stage '${stageLabel(e.id)}' is ${e.why === 'frozen' ? 'frozen, skipping' : 'up to date'}`));
        break;
      case 'stage-would-run':
        plan(`Would run stage '${stageLabel(e.id)}': ${e.reasons.map(describeReason).join('; ')}`);
        break;
      case 'stage-would-restore':
        plan(`Would restore stage '${stageLabel(e.id)}' from the run-cache: ${e.reasons.map(describeReason).join('; ')}`);
        break;
      case 'stage-started':
        say(s.bold(`Running stage '${stageLabel(e.id)}'`) + s.dim(` (${e.reasons.map(describeReason).join('; ')})`));
        if (!opts.quiet) progress.begin(stageLabel(e.id));
        break;
      case 'stage-log':
        if (!opts.quiet) write(err, `${s.dim(`[${stageLabel(e.id)}${e.worker !== undefined ? `@${e.worker}` : ''}]`)} ${e.line}
`);
        break;
      case 'stage-progress':
        if (opts.quiet) break;
        if (e.total > 0) progress.update(stageLabel(e.id), e.done, e.total, e.unit);
        else progress.count(stageLabel(e.id), e.done, e.unit);
        break;
      case 'stage-restored':
        say(`Stage '${stageLabel(e.id)}' restored from the run-cache`);
        break;
      case 'frozen-checked': {
        const would = e.dry ? 'would ' : '';
        const done = [
          ...(e.restored.length > 0 ? [`${would}${e.dry ? 'restore' : 'restored'} ${e.restored.join(', ')} from the cache`] : []),
          ...(e.recorded.length > 0 ? [`${would}${e.dry ? 'record' : 'recorded'} ${e.recorded.join(', ')} as found`] : []),
        ];
        plan(`Stage '${stageLabel(e.id)}' is frozen: ${done.join('; ')}`);
        break;
      }
      case 'pointer-updated':
        plan(`${e.path} changed since \`dvcts add\`: ${e.dry ? 'would update' : 'updated'} ${e.pointer}${e.dry ? '' : ' and cached the new version'}`);
        break;
      case 'stage-finished':
        progress.end(stageLabel(e.id));
        say(s.green(`Stage '${stageLabel(e.id)}' done`) + s.dim(` in ${((e.at - e.startedAt) / 1000).toFixed(1)}s`));
        break;
      case 'stage-failed': {
        const f = e.failure;
        progress.end(stageLabel(e.id));
        write(err, s.red(s.bold(`Stage '${stageLabel(e.id)}' failed`)) + `: ${f.message} [${f.code}]\n`);
        if (f.lastLines.length > 0) {
          write(err, `  last ${f.lastLines.length} line(s) of its log:\n`);
          for (const line of f.lastLines) write(err, `  | ${line}\n`);
        }
        if (f.hint) write(err, `  hint: ${f.hint}\n`);
        break;
      }
      case 'data-pulled':
        say(`Pulled ${e.objects} object(s) (${e.bytes} bytes) from '${e.remote}'; checked out ${e.restored.length} missing path(s)${e.restored.length > 0 ? `: ${e.restored.join(', ')}` : ''}`);
        break;
      case 'stage-interrupted': {
        progress.end(stageLabel(e.id));
        const removed = e.removed.length > 0 ? `removed its partial outputs (${e.removed.join(', ')}); ` : '';
        write(err, s.yellow(`Stage '${stageLabel(e.id)}' interrupted after ${((e.at - e.startedAt) / 1000).toFixed(1)}s: ${removed}nothing recorded`) + '\n');
        break;
      }
      case 'stage-blocked':
        write(err, s.yellow(`Stage '${stageLabel(e.id)}' not run: upstream stage '${stageLabel(e.by)}' failed`) + '\n');
        break;
    }
  };
}
