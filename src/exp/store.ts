import { randomBytes } from 'node:crypto';
import { DvctsError, ExitCode } from '../core/errors.js';
import type { GitRepo } from '../scm/git-repo.js';
import { commitMessage, deleteRef, listRefNames, refTarget, setRef } from '../scm/refs.js';
import { EXPERIMENT_NAME_RE, EXPERIMENT_REFS, type CommitOid } from '../scm/revision.js';
import { parseExperimentMessage, type ExperimentInfo } from './record.js';

/** Queued experiments wait as commits of their workspace under this prefix (see queue.ts). */
export const QUEUE_REFS = 'refs/exps-queue';

/** A recorded experiment: a commit whose parent is the baseline, kept by `refs/exps/NAME`. */
export interface Experiment {
  readonly name: string;
  readonly commit: CommitOid;
  readonly baseline: CommitOid;
  readonly info: ExperimentInfo;
}

export function experimentRef(name: string): string {
  return `${EXPERIMENT_REFS}/${name}`;
}

export function checkExperimentName(name: string): string {
  if (!EXPERIMENT_NAME_RE.test(name)) {
    throw new DvctsError('E_EXP_NAME_INVALID', `"${name}" is not a valid experiment name`, { data: { name }, exitCode: ExitCode.usage });
  }
  return name;
}

/** A fresh name: `PREFIX-` and 6 random hex digits (checked free by the caller). */
export function newExperimentName(prefix = 'exp'): string {
  return `${prefix}-${randomBytes(3).toString('hex')}`;
}

/** Refuses a name an experiment or a queued experiment already has. */
export async function assertNameFree(repo: GitRepo, name: string): Promise<void> {
  checkExperimentName(name);
  if ((await refTarget(repo, experimentRef(name))) !== undefined || (await refTarget(repo, `${QUEUE_REFS}/${name}`)) !== undefined) {
    throw new DvctsError('E_EXP_EXISTS', `an experiment named "${name}" exists already`, { data: { name }, exitCode: ExitCode.usage });
  }
}

/** Every experiment, oldest first; refs that hold no dvcts record are returned as problems, not thrown. */
export async function listExperiments(repo: GitRepo): Promise<{ experiments: Experiment[]; problems: DvctsError[] }> {
  const experiments: Experiment[] = [];
  const problems: DvctsError[] = [];
  for (const name of await listRefNames(repo, EXPERIMENT_REFS)) {
    try {
      experiments.push(await readExperiment(repo, name));
    } catch (e) {
      if (!(e instanceof DvctsError)) throw e;
      problems.push(e);
    }
  }
  experiments.sort((a, b) => a.info.started.localeCompare(b.info.started) || a.name.localeCompare(b.name));
  return { experiments, problems };
}

export async function findExperiment(repo: GitRepo, name: string): Promise<Experiment> {
  if (EXPERIMENT_NAME_RE.test(name) && (await refTarget(repo, experimentRef(name))) !== undefined) return readExperiment(repo, name);
  const known = await listRefNames(repo, EXPERIMENT_REFS);
  throw new DvctsError('E_EXP_NOT_FOUND', `no experiment is named "${name}"`, {
    data: { name, known },
    hint: known.length > 0 ? `experiments: ${known.slice(0, 10).join(', ')}${known.length > 10 ? ', ...' : ''}` : 'run one with `dvcts exp run`',
    exitCode: ExitCode.usage,
  });
}

async function readExperiment(repo: GitRepo, name: string): Promise<Experiment> {
  const ref = experimentRef(name);
  const commit = (await refTarget(repo, ref))!;
  const { message, parents } = await commitMessage(repo, commit);
  const info = parseExperimentMessage(ref, message);
  if (info.name !== name) throw new DvctsError('E_EXP_RECORD_INVALID', `${ref} records the experiment "${info.name}"`, { data: { ref, reason: 'name mismatch' } });
  if (parents.length !== 1) throw new DvctsError('E_EXP_RECORD_INVALID', `${ref} is not a commit with one parent`, { data: { ref, reason: 'parents' } });
  return { name, commit, baseline: parents[0] as CommitOid, info };
}

export async function saveExperimentRef(repo: GitRepo, name: string, commit: CommitOid): Promise<void> {
  await setRef(repo, experimentRef(name), commit);
}

export async function removeExperimentRef(repo: GitRepo, name: string): Promise<void> {
  await deleteRef(repo, experimentRef(name));
}
