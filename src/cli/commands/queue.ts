import { relative } from 'node:path';
import { queueKill, queueLogs, queueStart, queueStatus, type QueueEvent } from '../../api/exp-queue.js';
import { ExitCode } from '../../core/errors.js';
import { formatValue, renderTable } from '../../report/render-table.js';
import { styleFor } from '../../report/style.js';
import { interruptSignal } from '../interruption.js';

export async function queueStartCommand(f: { jobs?: number }): Promise<number> {
  const s = styleFor(process.stderr);
  const started = new Map<string, number>();
  const say = (e: QueueEvent): void => {
    if (e.type === 'exp-started') {
      started.set(e.name, e.at);
      process.stderr.write(`${s.bold(e.name)}: started (log: ${relative(process.cwd(), e.log)})\n`);
      return;
    }
    const seconds = ((e.at - (started.get(e.name) ?? e.at)) / 1000).toFixed(1);
    const line = `${e.name}: ${e.state} after ${seconds}s${e.reason ? ` (${e.reason})` : ''}`;
    process.stderr.write(`${e.state === 'success' ? s.green(line) : e.state === 'interrupted' ? s.yellow(line) : s.red(line)}\n`);
  };
  const signal = interruptSignal();
  const result = await queueStart({ ...(f.jobs !== undefined ? { jobs: f.jobs } : {}), signal, onEvent: say });
  const total = result.succeeded.length + result.failed.length + result.requeued.length;
  if (total === 0) process.stderr.write('The queue is empty: add experiments with `dvcts exp run --queue`.\n');
  else process.stderr.write(`${result.succeeded.length} succeeded, ${result.failed.length} failed${result.requeued.length > 0 ? `, ${result.requeued.length} back in the queue (interrupted)` : ''}.\n`);
  if (signal.aborted) return ExitCode.interrupted;
  return result.failed.length > 0 ? ExitCode.failure : ExitCode.ok;
}

export async function queueStatusCommand(f: { json?: boolean }): Promise<number> {
  const rows = await queueStatus();
  if (f.json) {
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (rows.length === 0) {
    process.stdout.write('The queue is empty.\n');
    return ExitCode.ok;
  }
  const table = rows.map((r) => [r.name, r.state, formatValue(r.queued), formatValue(r.started), formatValue(r.finished), r.reason ?? '']);
  process.stdout.write(renderTable(['Experiment', 'State', 'Queued', 'Started', 'Finished', 'Reason'], table, 'text'));
  return ExitCode.ok;
}

export async function queueLogsCommand(name: string): Promise<number> {
  process.stdout.write(await queueLogs(name));
  return ExitCode.ok;
}

export async function queueKillCommand(name: string): Promise<number> {
  await queueKill(name);
  process.stderr.write(`${styleFor(process.stderr).yellow(`Experiment ${name} was stopped`)}; it is marked failed (see \`dvcts queue logs ${name}\`).\n`);
  return ExitCode.ok;
}
