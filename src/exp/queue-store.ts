import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitRepo } from '../scm/git-repo.js';
import { commitMessage, deleteRef, listRefNames, refTarget, setRef } from '../scm/refs.js';
import type { CommitOid } from '../scm/revision.js';
import { isAlive, writeFileAtomic } from '../util/atomic-write.js';
import type { ParamOverride } from './params-override.js';
import { invalidRecord } from './record.js';
import { QUEUE_REFS } from './store.js';

/** A queued experiment: its workspace as it was when queued (a commit on the baseline) and what to run. */
export interface QueuedExperiment {
  readonly name: string;
  readonly snapshot: CommitOid;
  readonly baseline: CommitOid;
  readonly overrides: readonly ParamOverride[];
  readonly targets: readonly string[];
  readonly queued: string;
}

export type QueueState = 'queued' | 'running' | 'failed' | 'success';

/** `.dvcts/tmp/exps/queue/NAME.json`: what happened to an experiment once `queue start` took it. */
export interface RunState {
  readonly state: 'running' | 'failed' | 'success';
  readonly pid: number;
  readonly queued: string;
  readonly started: string;
  readonly finished?: string;
  readonly reason?: string;
}

const MARKER = 'dvcts-queued: 1';

/** `.dvcts/tmp/exps/logs/NAME.log`: the log of an experiment run from the queue or a sweep. */
export function experimentLogPath(expsTmp: string, name: string): string {
  return join(expsTmp, 'logs', `${name}.log`);
}

/**
 * The experiment queue: each queued experiment is a ref `refs/exps-queue/NAME` to a commit of
 * the workspace as it was queued (its record in the message), so later edits of the workspace
 * do not change it and git never collects it. What `queue start` did with it lives beside the
 * temporary workspaces: a state file, the run's log, and a kill request from `queue kill`.
 */
export class QueueStore {
  constructor(
    private readonly repo: GitRepo,
    /** `.dvcts/tmp/exps` of the project. */
    private readonly dir: string,
  ) {}

  /** Queues `snapshot`, a commit whose message is `QueueStore.message(entry)`. */
  async add(name: string, snapshot: CommitOid): Promise<void> {
    await setRef(this.repo, `${QUEUE_REFS}/${name}`, snapshot);
  }

  static message(entry: Omit<QueuedExperiment, 'snapshot' | 'baseline'>): string {
    return `dvcts queue ${entry.name}\n\n${MARKER}\n${JSON.stringify(entry, null, 2)}\n`;
  }

  /** Queued experiments that no live `queue start` is running, in the order they were queued. */
  async waiting(): Promise<QueuedExperiment[]> {
    const all = await this.queued();
    const waiting: QueuedExperiment[] = [];
    for (const e of all) if ((await this.state(e.name))?.state !== 'running') waiting.push(e);
    return waiting;
  }

  async queued(): Promise<QueuedExperiment[]> {
    const entries: QueuedExperiment[] = [];
    for (const name of await listRefNames(this.repo, QUEUE_REFS)) {
      const entry = await this.read(name);
      if (entry !== undefined) entries.push(entry);
    }
    return entries.sort((a, b) => a.queued.localeCompare(b.queued) || a.name.localeCompare(b.name));
  }

  /** undefined when the entry left the queue since it was listed (a run that ended, at -j 2 and more). */
  private async read(name: string): Promise<QueuedExperiment | undefined> {
    const ref = `${QUEUE_REFS}/${name}`;
    const snapshot = await refTarget(this.repo, ref);
    if (snapshot === undefined) return undefined;
    const { message, parents } = await commitMessage(this.repo, snapshot);
    const at = message.indexOf(`${MARKER}\n`);
    let record: Partial<QueuedExperiment> | undefined;
    try {
      record = at < 0 ? undefined : (JSON.parse(message.slice(at + MARKER.length + 1)) as Partial<QueuedExperiment>);
    } catch {
      record = undefined;
    }
    if (record?.name !== name || !Array.isArray(record.overrides) || !Array.isArray(record.targets) || typeof record.queued !== 'string' || parents.length !== 1) {
      throw invalidRecord(ref, 'not a queued dvcts experiment');
    }
    return { name, snapshot, baseline: parents[0] as CommitOid, overrides: record.overrides, targets: record.targets, queued: record.queued };
  }

  /** The run state; a `running` state whose process is gone reads as undefined (queued again). */
  async state(name: string): Promise<RunState | undefined> {
    let state: RunState;
    try {
      state = JSON.parse(await readFile(this.statePath(name), 'utf8')) as RunState;
    } catch {
      return undefined;
    }
    return state.state === 'running' && !isAlive(state.pid) ? undefined : state;
  }

  /** Names with a state file (finished or running), for `queue status`. */
  async stateNames(): Promise<string[]> {
    const names = await readdir(join(this.dir, 'queue')).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).sort();
  }

  /** Takes a queued experiment for this process; false when a live process has it already. */
  async claim({ name, queued }: QueuedExperiment): Promise<boolean> {
    await mkdir(join(this.dir, 'queue'), { recursive: true });
    const state: RunState = { state: 'running', pid: process.pid, queued, started: new Date().toISOString() };
    try {
      await writeFile(this.statePath(name), JSON.stringify(state), { flag: 'wx' });
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    if ((await this.state(name))?.state === 'running') return false;
    await writeFileAtomic(this.statePath(name), JSON.stringify(state));
    return true;
  }

  /** The run ended: the entry leaves the queue, its state says how it went. */
  async finish(name: string, state: 'failed' | 'success', reason?: string): Promise<void> {
    const before = await this.state(name);
    const now = new Date().toISOString();
    const after: RunState = { state, pid: process.pid, queued: before?.queued ?? now, started: before?.started ?? now, finished: now, ...(reason ? { reason } : {}) };
    await writeFileAtomic(this.statePath(name), JSON.stringify(after));
    await deleteRef(this.repo, `${QUEUE_REFS}/${name}`);
    await rm(this.killPath(name), { force: true });
  }

  /** Interrupted before it ended: back to the queue, as if never started. */
  async release(name: string): Promise<void> {
    await rm(this.statePath(name), { force: true });
    await rm(this.killPath(name), { force: true });
  }

  /** Forgets an entry entirely: queued ref, state, log. */
  async remove(name: string): Promise<boolean> {
    const existed = (await refTarget(this.repo, `${QUEUE_REFS}/${name}`)) !== undefined || (await this.state(name)) !== undefined;
    await deleteRef(this.repo, `${QUEUE_REFS}/${name}`).catch(() => undefined);
    for (const path of [this.statePath(name), this.killPath(name), this.logPath(name)]) await rm(path, { force: true });
    return existed;
  }

  async requestKill(name: string): Promise<void> {
    await writeFileAtomic(this.killPath(name), String(process.pid));
  }

  async killRequested(name: string): Promise<boolean> {
    return readFile(this.killPath(name)).then(
      () => true,
      () => false,
    );
  }

  logPath(name: string): string {
    return experimentLogPath(this.dir, name);
  }

  private statePath(name: string): string {
    return join(this.dir, 'queue', `${name}.json`);
  }

  private killPath(name: string): string {
    return join(this.dir, 'queue', `${name}.kill`);
  }
}
