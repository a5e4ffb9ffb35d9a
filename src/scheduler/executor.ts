import type { StageSpec } from '../core/spec.js';
import type { LockedParams, LockedPath } from '../lockfile/types.js';

/**
 * One stage run as the scheduler hands it over, after it has decided that the stage must run
 * (stale, not restorable from the run-cache): the resolved stage, the ids of its deps and its
 * param values. The outputs follow from these alone.
 */
export interface Action {
  readonly stage: StageSpec;
  /** The deps as observed, in declared order (the ids the fingerprint was computed from). */
  readonly deps: readonly LockedPath[];
  readonly params: LockedParams;
  /**
   * The run-cache key, when the result may be recorded in the run-cache: `cache: false` metrics
   * and plots are then stored too, so that the run-cache can restore them.
   */
  readonly fingerprint?: string;
}

/** Where a running action's log lines and progress go. */
export interface ActionListener {
  /** `worker`: the machine the line comes from, when the action runs elsewhere. */
  log(line: string, stream: 'stdout' | 'stderr', worker?: string): void;
  progress(done: number, total: number, unit: string): void;
}

/**
 * Runs actions: here (`local`) or elsewhere (`queue`). Deciding what runs, run-cache lookups and
 * lock files stay with the scheduler; an executor only turns an action into outputs.
 */
export interface Executor {
  /**
   * Runs the action and resolves with its outputs as the lock file records them, in declared
   * order: each is in the project's workspace, and in its cache when it is cached (or when the
   * action has a fingerprint and it is a metric or plot). Rejects with the stage's error.
   * `signal` (Ctrl-C / SIGTERM) stops the running command; outputs are still stored once it has finished.
   */
  run(action: Action, listener: ActionListener, signal?: AbortSignal): Promise<readonly LockedPath[]>;
  /** Releases connections and threads; called once, after the last action. */
  close(): Promise<void>;
}
