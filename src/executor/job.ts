import type { Shard } from '../core/builtin.js';
import type { PlainError } from '../core/errors.js';
import type { StageSpec } from '../core/spec.js';
import type { LockedParams, LockedPath } from '../lockfile/types.js';

/** Bumped when the job format changes: a worker refuses jobs of another format. */
export const JOB_FORMAT = 'dvcts-job/1';

/** A stage as it travels: the runner URL of a built-in is the coordinator's, so it stays behind. */
export type WireStage = Omit<StageSpec, 'builtin'> & { readonly builtin?: { readonly version: string; readonly incrementalOutputs?: boolean } };

/**
 * What one shard job left on the remote: its per-item memo logs and the objects they name, each
 * saved as a folder object (the files of `objects` are stored under their own ids, which are
 * the ids the memo holds).
 */
export interface ItemSegment {
  readonly items: LockedPath;
  readonly objects: LockedPath;
}

/** A job: one action (or one shard of it), with what the worker must place before running it. */
export interface JobBody {
  readonly format: typeof JOB_FORMAT;
  readonly stage: WireStage;
  readonly deps: readonly LockedPath[];
  readonly params: LockedParams;
  readonly fingerprint?: string;
  /** Everything placed in the scratch workspace first: the deps, the params files, persist outputs. */
  readonly inputs: readonly LockedPath[];
  /** A shard job: fill the per-item cache for this part of the items, write no output. */
  readonly shard?: Shard;
  /** The stage job after shards: their memo, replayed into the run's per-item cache. */
  readonly segments?: readonly ItemSegment[];
}

export interface JobTiming {
  readonly worker: string;
  /** Epoch ms: the worker took the job, the command began and ended, the outputs were pushed. */
  readonly receivedAt: number;
  readonly startedAt: number;
  readonly finishedAt: number;
  readonly pushedAt: number;
}

export type JobResult =
  | { readonly kind: 'outputs'; readonly outs: readonly LockedPath[]; readonly timing: JobTiming; readonly fromRunCache: boolean }
  | { readonly kind: 'segment'; readonly segment: ItemSegment; readonly timing: JobTiming };

/** A failed job, as the worker reports it (BullMQ keeps only a message: this is its JSON). */
export interface JobFailure {
  readonly error: PlainError;
  readonly worker: string;
  /** Which attempt of the job (see JobProgress.run). */
  readonly run: string;
  /** The last lines of the stage's log, with their numbers in the log (to fill what streaming missed). */
  readonly lastLines: readonly LogLine[];
}

export interface LogLine {
  readonly seq: number;
  readonly line: string;
  readonly stream: 'stdout' | 'stderr';
}

/** What a running job streams back through BullMQ's progress events. */
export interface JobProgress {
  readonly worker: string;
  /** A random id of this attempt: a retry, here or on another worker, numbers its lines from 0 again. */
  readonly run: string;
  readonly lines: readonly LogLine[];
  readonly progress?: { readonly done: number; readonly total: number; readonly unit: string };
}

const FAILURE_MARK = 'dvcts-failure:';

export function encodeFailure(failure: JobFailure): string {
  return FAILURE_MARK + JSON.stringify(failure);
}

/** The worker's report, or undefined for a message BullMQ wrote itself (a stalled job, ...). */
export function decodeFailure(message: string): JobFailure | undefined {
  if (!message.startsWith(FAILURE_MARK)) return undefined;
  try {
    return JSON.parse(message.slice(FAILURE_MARK.length)) as JobFailure;
  } catch {
    return undefined;
  }
}

export function toWire(stage: StageSpec): WireStage {
  const { builtin, ...rest } = stage;
  return builtin === undefined ? rest : { ...rest, builtin: { version: builtin.version, ...(builtin.incrementalOutputs ? { incrementalOutputs: true } : {}) } };
}
