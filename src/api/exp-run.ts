import { isDvctsError } from '../core/errors.js';
import { applyOverrides, parseOverride, type ParamOverride } from '../exp/params-override.js';
import { QueueStore } from '../exp/queue-store.js';
import { assertNameFree, checkExperimentName, newExperimentName } from '../exp/store.js';
import type { GitRepo } from '../scm/git-repo.js';
import type { EventSink } from '../scheduler/events.js';
import type { ProjectOptions } from './builtins.js';
import { executeExperiment, type ExperimentJob, type ExperimentOutcome } from './exp-execute.js';
import { baselineOf, experimentProject, experimentsTmp, recordWorkTree, sweepTemporaryWorkspaces, type ExperimentProject } from './exp-workspace.js';
import { openProject } from './open-project.js';

export interface ExpRunOptions extends ProjectOptions {
  /** `-S [FILE:]KEY=VALUE` (FILE defaults to params.yaml; `+KEY` may add a key). */
  readonly set?: readonly string[];
  readonly name?: string;
  readonly targets?: readonly string[];
  /** Run in a temporary copy of the workspace: the workspace does not change. */
  readonly temp?: boolean;
  /** Stages run at once (repro's --jobs). */
  readonly jobs?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: EventSink;
}

/**
 * `dvcts exp run`: reproduces the pipelines with the `-S` values and records the experiment as
 * `refs/exps/NAME` (see executeExperiment). HEAD and the branch never move.
 */
export async function expRun(opts: ExpRunOptions = {}): Promise<ExperimentOutcome> {
  const { project, job } = await prepareJob(opts);
  const baseline = await baselineOf(project);
  const run = { baseline, ...pick(opts) };
  if (!opts.temp) return executeExperiment(project, job, { workspace: true }, run);
  await sweepTemporaryWorkspaces(project.root);
  const snapshot = await recordWorkTree(project, project.repo.dir, baseline, `dvcts exp ${job.name} (workspace)`);
  return executeExperiment(project, job, { snapshot }, run);
}

/**
 * `dvcts exp run --queue`: records the workspace as it is now (with the `-S` values applied to
 * the copy, not to the workspace) for `dvcts queue start` to run later.
 */
export async function expQueue(opts: ExpRunOptions = {}): Promise<ExperimentJob> {
  const { project, job } = await prepareJob(opts);
  const baseline = await baselineOf(project);
  const entry = { name: job.name, overrides: job.overrides, targets: job.targets, queued: new Date().toISOString() };
  const snapshot = await recordWorkTree(project, project.repo.dir, baseline, QueueStore.message(entry));
  await new QueueStore(project.repo, experimentsTmp(project.root)).add(job.name, snapshot);
  return { ...job, queued: entry.queued };
}

/** Checks everything that can be checked before anything runs: pipelines, targets, -S keys, the name. */
async function prepareJob(opts: ExpRunOptions): Promise<{ project: ExperimentProject; job: ExperimentJob }> {
  const project = experimentProject(opts);
  const { targets } = await openProject({ ...opts, targets: opts.targets ?? [] });
  const overrides: ParamOverride[] = (opts.set ?? []).map(parseOverride);
  await applyOverrides(project.root, overrides, { checkOnly: true });
  const name = await chooseName(project.repo, opts.name);
  return { project, job: { name, overrides, targets } };
}

export async function chooseName(repo: GitRepo, wanted: string | undefined, prefix = 'exp'): Promise<string> {
  if (wanted !== undefined) {
    await assertNameFree(repo, checkExperimentName(wanted));
    return wanted;
  }
  for (;;) {
    const name = newExperimentName(prefix);
    try {
      await assertNameFree(repo, name);
      return name;
    } catch (e) {
      if (!isDvctsError(e, 'E_EXP_EXISTS')) throw e; // taken: draw again
    }
  }
}

function pick(opts: ExpRunOptions): { jobs?: number; signal?: AbortSignal; onEvent?: EventSink } {
  return {
    ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
    ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    ...(opts.onEvent !== undefined ? { onEvent: opts.onEvent } : {}),
  };
}
