import { relative } from 'node:path';
import { expSweep, type SamplerName, type SweepResult, type TrialEvent, type TrialSummary } from '../../api/exp-sweep.js';
import { ExitCode } from '../../core/errors.js';
import type { Direction } from '../../exp/show-table.js';
import { stageLabel } from '../../report/console-reporter.js';
import { formatValue, renderTable } from '../../report/render-table.js';
import { styleFor } from '../../report/style.js';
import { interruptSignal } from '../interruption.js';

interface SweepFlags {
  setParam: string[];
  objective: string;
  direction?: Direction;
  trials?: number;
  jobs?: number;
  sampler?: SamplerName;
  seed?: number;
  name?: string;
  startupTrials?: number;
  pruneOn?: string;
  pruneStartupTrials?: number;
  pruneWarmupSteps?: number;
  json?: boolean;
}

export async function expSweepCommand(targets: string[], f: SweepFlags): Promise<number> {
  const signal = interruptSignal();
  const optional = <K extends keyof SweepFlags>(key: K): Partial<Pick<SweepFlags, K>> => (f[key] !== undefined ? ({ [key]: f[key] } as Partial<Pick<SweepFlags, K>>) : {});
  const result = await expSweep({
    set: f.setParam,
    objective: f.objective,
    targets,
    signal,
    onTrial: f.json ? undefined : progressLine,
    ...optional('direction'),
    ...optional('trials'),
    ...optional('jobs'),
    ...optional('sampler'),
    ...optional('seed'),
    ...optional('name'),
    ...optional('startupTrials'),
    ...optional('pruneOn'),
    ...optional('pruneStartupTrials'),
    ...optional('pruneWarmupSteps'),
  });
  if (f.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else printSummary(result);
  if (signal.aborted) return 130;
  return result.best === undefined ? ExitCode.failure : ExitCode.ok;
}

function params(t: { params: TrialSummary['params'] }): string {
  return t.params.map((p) => `${p.key}=${formatValue(p.value)}`).join(' ');
}

function progressLine(e: TrialEvent): void {
  const s = styleFor(process.stderr);
  if (e.type === 'trial-started') {
    process.stderr.write(s.dim(`${e.name}: ${params(e)} (log: ${relative(process.cwd(), e.log)})\n`));
    return;
  }
  const outcome = e.state === 'complete' ? s.green(`${formatValue(e.value)}`) : e.state === 'pruned' ? s.yellow(`pruned at step ${e.prunedAt}`) : s.red(e.state);
  process.stderr.write(`${e.name}: ${params(e)} -> ${outcome} (${e.seconds.toFixed(1)}s${e.ran.length > 0 ? `, ran ${e.ran.map(stageLabel).join(', ')}` : ''})\n`);
}

function printSummary(r: SweepResult): void {
  const s = styleFor(process.stdout);
  const keys = [...new Set(r.trials.flatMap((t) => t.params.map((p) => p.key)))];
  const rows = [...r.trials]
    .sort((a, b) => a.number - b.number)
    .map((t) => [t.name, ...keys.map((k) => formatValue(t.params.find((p) => p.key === k)?.value)), t.state === 'complete' ? formatValue(t.value) : t.state === 'pruned' ? `pruned@${t.prunedAt}` : t.state, `${t.seconds.toFixed(1)}s`]);
  process.stdout.write(renderTable(['Trial', ...keys, r.objective, 'Time'], rows, 'text'));
  const runs = Object.entries(r.stageRuns).map(([id, n]) => `${stageLabel(id)} ${n}`);
  process.stdout.write(`Stages run by the ${r.trials.length} trial(s): ${runs.join(', ') || 'none'} (the others were up to date or restored from the run-cache)\n`);
  if (r.best) {
    process.stdout.write(s.bold(`Best: ${r.best.name} with ${r.objective} = ${formatValue(r.best.value)} (${r.direction}; ${params(r.best)})\n`));
    process.stdout.write(`Apply it with \`dvcts exp apply ${r.best.name}\`; compare all with \`dvcts exp show --sort-by ${r.objective}\`.\n`);
  } else {
    process.stdout.write(s.red('No trial completed.\n'));
  }
}
