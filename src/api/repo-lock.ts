import { rmSync } from 'node:fs';
import { link, mkdir, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DvctsError, ExitCode } from '../core/errors.js';
import { systemError } from '../core/system-errors.js';
import { isAlive, sweepStaleTemps, tempPathBeside } from '../util/atomic-write.js';
import { DVCTS_DIR } from './project.js';

export interface RepoLock {
  release(): Promise<void>;
}

export interface LockOptions {
  readonly wait: boolean;
  /** Called once, when we start waiting, with a description of the holder. */
  onWait?(holder: string): void;
  readonly command: string;
  /** Aborted (Ctrl-C) while waiting: stop waiting. */
  readonly signal?: AbortSignal;
}

/** Locks this process holds: a forced exit (second Ctrl-C) removes them synchronously. */
const held = new Set<string>();

export function releaseHeldLocksSync(): void {
  for (const path of held) rmSync(path, { force: true });
  held.clear();
}

const POLL_MS = 100;
const TAKEOVER_TIMEOUT_MS = 5_000;

/**
 * One writer per project: `.dvcts/tmp/repo.lock` appears atomically, holding the owner's pid.
 * A lock whose process is gone (killed with SIGKILL) is stale and taken over; a live one is
 * waited for, or refused at once with `wait: false`.
 */
export async function acquireRepoLock(root: string, opts: LockOptions): Promise<RepoLock> {
  const path = join(root, DVCTS_DIR, 'tmp', 'repo.lock');
  await mkdir(join(root, DVCTS_DIR, 'tmp'), { recursive: true });
  await sweepStaleTemps(join(root, DVCTS_DIR, 'tmp'));
  let told = false;
  const holder: Holder = { pid: process.pid, host: hostname(), command: opts.command, since: new Date().toISOString() };
  for (;;) {
    opts.signal?.throwIfAborted();
    if (await createWithContent(path, JSON.stringify(holder))) {
      held.add(path);
      return {
        release: async () => {
          held.delete(path);
          await rm(path, { force: true });
        },
      };
    }
    const owner = await readHolder(path);
    if (owner !== undefined && owner.host === hostname() && !isAlive(owner.pid)) {
      await removeStaleLock(path, owner.pid);
      continue;
    }
    const who = owner ? `pid ${owner.pid} (${owner.command}, since ${owner.since})` : 'another dvcts process';
    if (!opts.wait) {
      throw new DvctsError('E_LOCKED', `the project is locked by ${who}`, {
        data: { path, holder: owner },
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
 * Creates `path` holding `content`, or returns false if it exists. The content is written to a
 * temp file first and hard-linked into place, so the lock never exists empty: a process killed
 * half-way leaves either no lock or a complete one (whose dead pid marks it stale).
 */
async function createWithContent(path: string, content: string): Promise<boolean> {
  const tmp = tempPathBeside(path);
  try {
    await writeFile(tmp, content); // inside the try: a full disk must not leave the temp file behind
    await link(tmp, path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw systemError(e, path, 'create the project lock') ?? e;
  } finally {
    await rm(tmp, { force: true });
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
