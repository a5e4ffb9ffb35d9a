import { mkdir, mkdtemp, readFile, readlink, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import { DvctsError, ExitCode } from '../core/errors.js';
import { QueueStore } from '../exp/queue-store.js';
import { findExperiment, listExperiments, removeExperimentRef, type Experiment } from '../exp/store.js';
import { isValidBranchName, refTarget, setRef } from '../scm/refs.js';
import { readTreeFiles, SYMLINK_MODE, type TreeFile } from '../scm/tree-entries.js';
import { writeCommitFiles } from '../scm/write-commit-files.js';
import type { CommitOid } from '../scm/revision.js';
import type { ProjectOptions } from './builtins.js';
import { checkoutLocked, type CheckoutResult } from './checkout.js';
import { baselineOf, experimentProject, experimentsTmp, type ExperimentProject } from './exp-workspace.js';
import { acquireRepoLock } from './repo-lock.js';

export interface ExpApplyResult {
  readonly experiment: Experiment;
  /** Work-tree-relative files written or deleted. */
  readonly files: readonly string[];
  readonly data: CheckoutResult;
}

/**
 * `dvcts exp apply NAME`: brings an experiment into the workspace — the files it changed relative
 * to its baseline (params, lock files, ...) and the data its lock files record, from the cache.
 * HEAD does not move; commit the result to keep it. It refuses (before changing anything) to
 * overwrite a file whose workspace content neither HEAD nor any experiment records, unless `force`.
 */
export async function expApply(name: string, opts: ProjectOptions & { force?: boolean } = {}): Promise<ExpApplyResult> {
  const project = experimentProject(opts);
  const experiment = await findExperiment(project.repo, name);
  const lock = await acquireRepoLock(project.root, { wait: true, command: 'exp apply' });
  try {
    const target = await readTreeFiles(project.repo, experiment.commit);
    const baseline = await readTreeFiles(project.repo, experiment.baseline);
    const changed = [...new Set([...target.keys(), ...baseline.keys()])].filter((p) => target.get(p)?.oid !== baseline.get(p)?.oid).sort();
    if (!opts.force) await refuseUnsavedChanges(project, changed, target);
    // Data first: checkout refuses unrecorded data changes before touching anything.
    const data = await checkoutLocked(project.root, project.root, { rev: experiment.commit, force: opts.force ?? false });
    await writeFiles(project, experiment.commit, changed, target);
    return { experiment, files: changed, data };
  } finally {
    await lock.release();
  }
}

/** Files whose workspace content is neither the experiment's, HEAD's, nor any experiment's version. */
async function refuseUnsavedChanges(project: ExperimentProject, paths: readonly string[], target: ReadonlyMap<string, TreeFile>): Promise<void> {
  const known = new Map<string, Set<string>>();
  const remember = (files: ReadonlyMap<string, TreeFile>): void => {
    for (const p of paths) {
      const oid = files.get(p)?.oid;
      if (oid !== undefined) known.set(p, (known.get(p) ?? new Set()).add(oid));
    }
  };
  remember(target);
  remember(await readTreeFiles(project.repo, await baselineOf(project)));
  for (const e of (await listExperiments(project.repo)).experiments) remember(await readTreeFiles(project.repo, e.commit));
  const unsaved: string[] = [];
  for (const p of paths) {
    const oid = await workspaceBlobOid(join(project.repo.dir, p), target.get(p)?.mode);
    if (oid !== undefined && !known.get(p)?.has(oid)) unsaved.push(p);
  }
  if (unsaved.length > 0) {
    throw new DvctsError('E_EXP_APPLY_CONFLICT', `exp apply would overwrite changes that nothing records; nothing was changed:\n${unsaved.map((p) => `  ${p}`).join('\n')}`, {
      data: { paths: unsaved },
      exitCode: ExitCode.failure,
    });
  }
}

async function workspaceBlobOid(abs: string, mode: string | undefined): Promise<string | undefined> {
  try {
    const content = mode === SYMLINK_MODE ? Buffer.from(await readlink(abs)) : await readFile(abs);
    return (await git.hashBlob({ object: content })).oid;
  } catch {
    return undefined;
  }
}

/** Writes the experiment's version of each path (deleting those it does not have), each file whole. */
async function writeFiles(project: ExperimentProject, commit: CommitOid, paths: readonly string[], target: ReadonlyMap<string, TreeFile>): Promise<void> {
  await mkdir(experimentsTmp(project.root), { recursive: true });
  const staging = await mkdtemp(join(experimentsTmp(project.root), 'apply-'));
  try {
    await writeCommitFiles(project.repo, commit, staging, new Set(paths.filter((p) => target.has(p))));
    for (const p of paths) {
      const dest = join(project.repo.dir, p);
      if (!target.has(p)) {
        await rm(dest, { force: true });
        continue;
      }
      await mkdir(dirname(dest), { recursive: true });
      await rename(join(staging, p), dest);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** `dvcts exp branch NAME BRANCH`: a git branch at the experiment's commit (its parent is the baseline). */
export async function expBranch(name: string, branch: string, opts: ProjectOptions = {}): Promise<Experiment> {
  const project = experimentProject(opts);
  const experiment = await findExperiment(project.repo, name);
  if (!isValidBranchName(branch)) throw new DvctsError('E_BRANCH_INVALID', `"${branch}" is not a valid branch name`, { data: { branch }, exitCode: ExitCode.usage });
  if ((await refTarget(project.repo, `refs/heads/${branch}`)) !== undefined) {
    throw new DvctsError('E_BRANCH_EXISTS', `branch "${branch}" exists already`, { data: { branch }, exitCode: ExitCode.usage });
  }
  await setRef(project.repo, `refs/heads/${branch}`, experiment.commit);
  return experiment;
}

/**
 * `dvcts exp remove`: deletes experiments (their refs; the data stays in the cache until `gc`)
 * and queue entries (queued, failed or finished) by name; `all` every experiment, `queue` every
 * queue entry. Unknown names are refused before anything is removed.
 */
export async function expRemove(names: readonly string[], opts: ProjectOptions & { all?: boolean; queue?: boolean } = {}): Promise<string[]> {
  const project = experimentProject(opts);
  const store = new QueueStore(project.repo, experimentsTmp(project.root));
  const experiments = new Set((await listExperiments(project.repo)).experiments.map((e) => e.name));
  const queued = new Set([...(await store.queued()).map((q) => q.name), ...(await store.stateNames())]);
  for (const name of names) if (!experiments.has(name) && !queued.has(name)) await findExperiment(project.repo, name); // throws E_EXP_NOT_FOUND
  const removeExperiments = opts.all ? [...experiments] : names.filter((n) => experiments.has(n));
  const removeQueued = opts.queue ? [...queued] : names.filter((n) => queued.has(n));
  for (const name of removeExperiments) await removeExperimentRef(project.repo, name);
  for (const name of removeQueued) await store.remove(name);
  return [...new Set([...removeExperiments, ...removeQueued])].sort();
}
