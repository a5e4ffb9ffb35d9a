import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

/**
 * Stage commands run as the leader of their own process group, so stopping a stage stops all
 * it started (`sh -c 'a | b & c'`), not just the shell. Groups still alive are remembered: a
 * forced exit (second Ctrl-C, a crash) kills them rather than leaving them writing outputs.
 */
const live = new Set<number>();

/** After the first signal: SIGTERM (a shell's background jobs ignore SIGINT), then SIGKILL. */
const TERM_AFTER_MS = 300;
const KILL_AFTER_MS = 2_000;

export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions): ChildProcess {
  // detached: the child calls setsid(), becoming the leader of a new process group (id = its pid).
  const child = spawn(command, args, { ...options, detached: true });
  const pid = child.pid;
  if (pid !== undefined) {
    live.add(pid);
    child.once('exit', () => live.delete(pid));
  }
  return child;
}

/**
 * Stops the whole group: `first` (the signal dvcts got, so a program that cleans up on Ctrl-C
 * gets its Ctrl-C), then SIGTERM, then SIGKILL for whatever is left.
 */
export function stopGroup(child: ChildProcess, first: NodeJS.Signals = 'SIGTERM'): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(pid, first);
  // Even once the leader has exited, others of its group may linger: the timers look at the group.
  setTimeout(() => signalGroup(pid, 'SIGTERM'), TERM_AFTER_MS).unref();
  setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_AFTER_MS).unref();
}

/** SIGKILL to every group still running (synchronous: safe in an exit handler). */
export function killAllGroupsSync(): void {
  for (const pid of live) signalGroup(pid, 'SIGKILL');
  live.clear();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is gone already
  }
}

process.once('exit', killAllGroupsSync);
