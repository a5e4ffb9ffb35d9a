import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DvctsError, ExitCode } from '../core/errors.js';
import { DVCTS_DIR } from './project.js';

export interface RepoLock {
  release(): Promise<void>;
}

export interface LockOptions {
  readonly wait: boolean;
  /** Called once, when we start waiting, with a description of the holder. */
  onWait?(holder: string): void;
  readonly command: string;
}

const POLL_MS = 100;
const TAKEOVER_TIMEOUT_MS = 5_000;

/**
 * One writer per project: `.dvcts/tmp/repo.lock` is created with O_EXCL and holds the owner's pid.
 * A lock whose process is gone (killed with SIGKILL) is stale and taken over; a live one is
 * waited for, or refused at once with `wait: false`.
 */
export async function acquireRepoLock(root: string, opts: LockOptions): Promise<RepoLock> {
  const path = join(root, DVCTS_DIR, 'tmp', 'repo.lock');
  await mkdir(join(root, DVCTS_DIR, 'tmp'), { recursive: true });
  let told = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, host: hostname(), command: opts.command, since: new Date().toISOString() }));
      await handle.close();
      return { release: () => rm(path, { force: true }) };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const holder = await readHolder(path);
    if (holder !== undefined && holder.host === hostname() && !isAlive(holder.pid)) {
      await removeStaleLock(path, holder.pid);
      continue;
    }
    const who = holder ? `pid ${holder.pid} (${holder.command}, since ${holder.since})` : 'another dvcts process';
    if (!opts.wait) {
      throw new DvctsError('E_LOCKED', `the project is locked by ${who}`, {
        data: { path, holder },
        hint: 'wait for it to finish, or run without --no-wait to wait automatically',
        exitCode: ExitCode.locked,
      });
    }
    if (!told) opts.onWait?.(who);
    told = true;
    await sleep(POLL_MS);
  }
}

/**
 * Removes a lock whose owner died. Two processes may see the same stale lock; a takeover mutex
 * makes sure the second one re-reads the lock (now the winner's) instead of deleting it.
 */
async function removeStaleLock(path: string, deadPid: number): Promise<void> {
  const takeover = `${path}.takeover`;
  try {
    await (await open(takeover, 'wx')).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const age = Date.now() - (await stat(takeover).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
    if (age > TAKEOVER_TIMEOUT_MS) await rm(takeover, { force: true }); // its owner died mid-takeover
    await sleep(POLL_MS);
    return;
  }
  try {
    if ((await readHolder(path))?.pid === deadPid) await rm(path, { force: true });
  } finally {
    await rm(takeover, { force: true });
  }
}

interface Holder {
  pid: number;
  host: string;
  command: string;
  since: string;
}

async function readHolder(path: string): Promise<Holder | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as Holder;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined; // vanished or half-written by its creator: look again next poll
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
