import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DvctsError, ExitCode } from '../core/errors.js';
import { runPool } from '../exp/pool.js';
import { QueueStore, type QueuedExperiment, type QueueState } from '../exp/queue-store.js';
import { summaryLine } from '../report/run-report.js';
import type { ProjectOptions } from './builtins.js';
import { executeExperiment, type ExperimentOutcome } from './exp-execute.js';
import { openExperimentLog } from './exp-log.js';
import { experimentProject, experimentsTmp, sweepTemporaryWorkspaces, type ExperimentProject } from './exp-workspace.js';

/** What `queue start` reports as experiments start and end. */
export type QueueEvent =
  | { readonly type: 'exp-started'; readonly name: string; readonly log: string; readonly at: number }
  | { readonly type: 'exp-finished'; readonly name: string; readonly state: 'success' | 'failed' | 'killed' | 'interrupted'; readonly reason?: string; readonly at: number };

export interface QueueStartOptions extends ProjectOptions {
  /** Experiments run at once, each in its own temporary workspace (default 1). */
  readonly jobs?: number;
  /** Aborted (Ctrl-C): no experiment starts; running ones stop and go back to the queue. */
  readonly signal?: AbortSignal;
  onEvent?(event: QueueEvent): void;
}

export interface QueueStartResult {
  readonly succeeded: readonly string[];
  readonly failed: readonly string[];
  /** Stopped by an interruption: queued again. */
  readonly requeued: readonly string[];
}

const KILL_POLL_MS = 200;

/**
 * `dvcts queue start`: runs the queued experiments, oldest first, `jobs` at a time, each in a
 * temporary copy of the workspace it was queued from (the project's cache shared), through the
 * same `repro` as `exp run`. Experiments queued while it runs are taken too. Each run's log goes
 * to `.dvcts/tmp/exps/logs/NAME.log`. A finished experiment leaves the queue (recorded as
 * refs/exps/NAME, or marked failed); an interrupted one goes back to it.
 */
export async function queueStart(opts: QueueStartOptions = {}): Promise<QueueStartResult> {
  const project = experimentProject(opts);
  const store = new QueueStore(project.repo, experimentsTmp(project.root));
  await sweepTemporaryWorkspaces(project.root);
  const taken = new Set<string>();
  const result = { succeeded: [] as string[], failed: [] as string[], requeued: [] as string[] };
  await runPool<QueuedExperiment>({
    jobs: opts.jobs ?? 1,
    ...(opts.signal ? { signal: opts.signal } : {}),
    next: async () => {
      for (const entry of await store.waiting()) {
        if (taken.has(entry.name)) continue;
        taken.add(entry.name);
        if (await store.claim(entry)) return entry;
      }
      return undefined;
    },
    run: async (entry) => {
      const state = await runQueued(project, store, entry, opts);
      (state === 'success' ? result.succeeded : state === 'interrupted' ? result.requeued : result.failed).push(entry.name);
    },
  });
  return result;
}

async function runQueued(project: ExperimentProject, store: QueueStore, entry: QueuedExperiment, opts: QueueStartOptions): Promise<'success' | 'failed' | 'killed' | 'interrupted'> {
  const log = await openExperimentLog(project.root, entry.name, entry.overrides);
  const kill = new AbortController();
  const signal = opts.signal ? AbortSignal.any([opts.signal, kill.signal]) : kill.signal;
  const watch = setInterval(() => void store.killRequested(entry.name).then((yes) => yes && kill.abort(killedError(entry.name))), KILL_POLL_MS);
  opts.onEvent?.({ type: 'exp-started', name: entry.name, log: log.path, at: Date.now() });
  log.line(`queued ${entry.queued}, on ${entry.baseline.slice(0, 7)}`);
  let outcome: ExperimentOutcome | undefined;
  let reason: string | undefined;
  try {
    outcome = await executeExperiment(project, { name: entry.name, overrides: entry.overrides, targets: entry.targets, queued: entry.queued }, { snapshot: entry.snapshot }, {
      baseline: entry.baseline,
      signal,
      onEvent: log.onEvent,
    });
    log.line(summaryLine(outcome.report));
  } catch (e) {
    reason = e instanceof Error ? e.message : String(e);
    log.line(`error: ${reason}`);
  } finally {
    clearInterval(watch);
  }
  const state = outcome?.experiment ? 'success' : kill.signal.aborted ? 'killed' : opts.signal?.aborted ? 'interrupted' : 'failed';
  reason ??= state === 'killed' ? 'killed by `dvcts queue kill`' : state === 'failed' && outcome ? summaryLine(outcome.report) : undefined;
  log.line(`${state}${reason ? `: ${reason}` : ''}`);
  await log.close();
  if (state === 'interrupted') await store.release(entry.name);
  else await store.finish(entry.name, state === 'success' ? 'success' : 'failed', reason);
  opts.onEvent?.({ type: 'exp-finished', name: entry.name, state, ...(reason ? { reason } : {}), at: Date.now() });
  return state;
}

function killedError(name: string): DvctsError {
  return new DvctsError('E_EXP_RUN_FAILED', `experiment ${name} was killed by \`dvcts queue kill\``, { data: { name } });
}

export interface QueueEntryStatus {
  readonly name: string;
  readonly state: QueueState;
  readonly queued?: string;
  readonly started?: string;
  readonly finished?: string;
  readonly reason?: string;
}

/** `dvcts queue status`: queued, running, failed and finished entries (until `exp remove`). */
export async function queueStatus(opts: ProjectOptions = {}): Promise<QueueEntryStatus[]> {
  const project = experimentProject(opts);
  const store = new QueueStore(project.repo, experimentsTmp(project.root));
  const rows = new Map<string, QueueEntryStatus>();
  for (const e of await store.queued()) rows.set(e.name, { name: e.name, state: 'queued', queued: e.queued });
  for (const name of await store.stateNames()) {
    const s = await store.state(name);
    if (s === undefined) continue; // a dead run: the entry reads as queued
    const { pid: _pid, ...rest } = s;
    rows.set(name, { ...rows.get(name), name, ...rest });
  }
  const order = (s: QueueEntryStatus): string => s.queued ?? s.started ?? '';
  return [...rows.values()].sort((a, b) => order(a).localeCompare(order(b)) || a.name.localeCompare(b.name));
}

/** `dvcts queue logs NAME`: the log of an experiment that ran (or runs) from the queue. */
export async function queueLogs(name: string, opts: ProjectOptions = {}): Promise<string> {
  const project = experimentProject(opts);
  const store = new QueueStore(project.repo, experimentsTmp(project.root));
  try {
    return await readFile(store.logPath(name), 'utf8');
  } catch {
    const state = (await queueStatus(opts)).find((s) => s.name === name)?.state;
    throw notRunning(name, state ?? 'unknown', state === 'queued' ? 'it has not started yet' : 'no queue run of that name has a log');
  }
}

/**
 * `dvcts queue kill NAME`: asks the `queue start` that runs NAME to stop it (its stage
 * processes are stopped, partial outputs removed) and waits until it has; the entry is then
 * marked failed ("killed").
 */
export async function queueKill(name: string, opts: ProjectOptions & { timeoutMs?: number } = {}): Promise<void> {
  const project = experimentProject(opts);
  const store = new QueueStore(project.repo, experimentsTmp(project.root));
  const state = await store.state(name);
  if (state?.state !== 'running') throw notRunning(name, state?.state ?? ((await store.queued()).some((q) => q.name === name) ? 'queued' : 'unknown'), 'only a running experiment can be killed');
  await store.requestKill(name);
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  while ((await store.state(name))?.state === 'running') {
    if (Date.now() > deadline) throw new DvctsError('E_EXP_RUN_FAILED', `experiment ${name} did not stop within ${Math.round((opts.timeoutMs ?? 60_000) / 1000)} s`, { data: { name } });
    await sleep(KILL_POLL_MS);
  }
}

function notRunning(name: string, state: string, why: string): DvctsError {
  return new DvctsError('E_QUEUE_NOT_RUNNING', `experiment ${name} is ${state}: ${why}`, { data: { name, state }, exitCode: ExitCode.usage });
}
