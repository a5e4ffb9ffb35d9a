import type { StaleReason } from '../lockfile/stale.js';

/** A stage failure as reported to the user: what, the exit code if a command failed, its last lines. */
export interface FailureInfo {
  readonly code: string;
  readonly message: string;
  readonly hint?: string;
  /** The error's structured data (file, line, ...), as thrown, also from a built-in's worker thread. */
  readonly data?: Readonly<Record<string, unknown>>;
  readonly exitCode?: number;
  readonly lastLines: readonly string[];
}

/** What the scheduler tells reporters. Times are epoch milliseconds. */
export type RunEvent =
  | { readonly type: 'stage-skipped'; readonly id: string; readonly why: 'up-to-date' | 'frozen' }
  | { readonly type: 'stage-started'; readonly id: string; readonly reasons: readonly StaleReason[]; readonly at: number }
  | { readonly type: 'stage-would-run'; readonly id: string; readonly reasons: readonly StaleReason[] }
  /** repro --dry: a stale stage whose outputs for these exact inputs are in the run-cache. */
  | { readonly type: 'stage-would-restore'; readonly id: string; readonly reasons: readonly StaleReason[] }
  /** `worker`: the machine the stage runs on, when not this one (queue executor). */
  | { readonly type: 'stage-log'; readonly id: string; readonly line: string; readonly stream: 'stdout' | 'stderr'; readonly worker?: string }
  | { readonly type: 'stage-progress'; readonly id: string; readonly done: number; readonly total: number; readonly unit: string; readonly at: number }
  | { readonly type: 'stage-restored'; readonly id: string; readonly at: number }
  /** A frozen stage is never run: deleted outputs were restored from the cache, present ones recorded as they are. */
  | { readonly type: 'frozen-checked'; readonly id: string; readonly restored: readonly string[]; readonly recorded: readonly string[]; readonly dry: boolean }
  /** Data tracked with `add` changed without a re-add: its new version was cached and its pointer rewritten (DVC). */
  | { readonly type: 'pointer-updated'; readonly path: string; readonly pointer: string; readonly dry: boolean }
  | { readonly type: 'stage-finished'; readonly id: string; readonly startedAt: number; readonly at: number }
  | { readonly type: 'stage-failed'; readonly id: string; readonly failure: FailureInfo; readonly at: number }
  | { readonly type: 'stage-blocked'; readonly id: string; readonly by: string }
  /** Ctrl-C / SIGTERM stopped the running stage: `removed` are its partial outputs; nothing was recorded. */
  | { readonly type: 'stage-interrupted'; readonly id: string; readonly startedAt: number; readonly removed: readonly string[]; readonly at: number }
  | { readonly type: 'waiting-for-lock'; readonly holder: string }
  | { readonly type: 'data-pulled'; readonly remote: string; readonly objects: number; readonly bytes: number; readonly restored: readonly string[] };

export type EventSink = (event: RunEvent) => void;
