import { DvctsError } from '../core/errors.js';
import { EXPERIMENT_NAME_RE } from '../scm/revision.js';
import type { ParamOverride } from './params-override.js';

/** How a trial of a sweep relates to its sweep (kept with the experiment). */
export interface TrialInfo {
  readonly sweep: string;
  /** 0-based trial number in its sweep. */
  readonly trial: number;
  readonly sampler: string;
  /** `FILE:KEY` of the objective, its direction, and the value this trial reached. */
  readonly objective: string;
  readonly direction: 'minimize' | 'maximize';
  readonly value: number;
}

/**
 * What dvcts records about one experiment, in its commit message (the files — params, lock
 * files, `cache: false` metrics — are the commit's tree; data is in the cache by the ids the lock
 * files hold). Times are ISO strings.
 */
export interface ExperimentInfo {
  readonly name: string;
  /** The `-S` values it ran with. */
  readonly params: readonly ParamOverride[];
  readonly targets: readonly string[];
  readonly queued?: string;
  readonly started: string;
  readonly finished: string;
  /** Stage ids by what happened to them in this run. */
  readonly stages: { readonly ran: readonly string[]; readonly restored: readonly string[]; readonly skipped: readonly string[] };
  readonly trial?: TrialInfo;
}

const MARKER = 'dvcts-experiment: 1';

export function experimentMessage(info: ExperimentInfo): string {
  return `dvcts exp ${info.name}\n\n${MARKER}\n${JSON.stringify(info, null, 2)}\n`;
}

/**
 * The record of a commit message. The ref may come from anyone (`git fetch` of refs/exps/*):
 * the shape is checked before anything uses it.
 */
export function parseExperimentMessage(ref: string, message: string): ExperimentInfo {
  const at = message.indexOf(`${MARKER}\n`);
  if (at < 0) throw invalidRecord(ref, 'its commit message has no dvcts experiment record');
  let info: unknown;
  try {
    info = JSON.parse(message.slice(at + MARKER.length + 1));
  } catch (e) {
    throw invalidRecord(ref, `the record is not JSON (${(e as Error).message})`);
  }
  const o = info as Partial<ExperimentInfo> | null;
  const strings = (v: unknown): boolean => Array.isArray(v) && v.every((s) => typeof s === 'string');
  if (o === null || typeof o !== 'object') throw invalidRecord(ref, 'the record is not an object');
  if (typeof o.name !== 'string' || !EXPERIMENT_NAME_RE.test(o.name)) throw invalidRecord(ref, 'its name is missing or invalid');
  if (!Array.isArray(o.params) || !o.params.every((p) => typeof p?.file === 'string' && typeof p.key === 'string')) throw invalidRecord(ref, 'params is not a list of {file, key, value}');
  if (!strings(o.targets) || typeof o.started !== 'string' || typeof o.finished !== 'string') throw invalidRecord(ref, 'targets, started or finished is missing');
  const stages = o.stages as ExperimentInfo['stages'] | undefined;
  if (!stages || !strings(stages.ran) || !strings(stages.restored) || !strings(stages.skipped)) throw invalidRecord(ref, 'stages is not {ran, restored, skipped}');
  if (o.trial !== undefined && (typeof o.trial?.sweep !== 'string' || typeof o.trial.value !== 'number' || typeof o.trial.objective !== 'string')) {
    throw invalidRecord(ref, 'trial is not {sweep, trial, objective, direction, value}');
  }
  return o as ExperimentInfo;
}

export function invalidRecord(ref: string, reason: string): DvctsError {
  return new DvctsError('E_EXP_RECORD_INVALID', `${ref} is not a dvcts experiment: ${reason}`, { data: { ref, reason } });
}
