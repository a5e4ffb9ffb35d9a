import { applyOverrides, type ParamOverride } from '../exp/params-override.js';
import { experimentMessage, type ExperimentInfo, type TrialInfo } from '../exp/record.js';
import { saveExperimentRef, type Experiment } from '../exp/store.js';
import type { CommitOid } from '../scm/revision.js';
import type { EventSink, RunEvent } from '../scheduler/events.js';
import type { RunDagResult } from '../scheduler/run-dag.js';
import { RunRecorder, type RunReport } from '../report/run-report.js';
import { recordWorkTree, TemporaryWorkspace, type ExperimentProject } from './exp-workspace.js';
import { repro } from './repro.js';

/** One experiment to run: its name, the `-S` values, the stages to reproduce. */
export interface ExperimentJob {
  readonly name: string;
  readonly overrides: readonly ParamOverride[];
  readonly targets: readonly string[];
  /** When it was queued (queued experiments only). */
  readonly queued?: string;
}

/** Where it runs: the project's own workspace, or a temporary copy of a commit's files. */
export type ExperimentPlace = { readonly workspace: true } | { readonly snapshot: CommitOid };

export interface ExecuteOptions {
  readonly baseline: CommitOid;
  readonly jobs?: number;
  readonly signal?: AbortSignal;
  readonly onEvent?: EventSink;
  /** Called with the project root the experiment runs in, before its stages start. */
  onRoot?(root: string): void;
  /** After a successful run, before it is recorded: what a sweep adds (the trial and its objective). May throw to fail it. */
  describe?(root: string): Promise<TrialInfo | undefined>;
}

export interface ExperimentOutcome {
  readonly job: ExperimentJob;
  readonly result: RunDagResult;
  /** Every stage's outcome, as `repro --json` reports it. */
  readonly report: RunReport;
  /** The recorded experiment; undefined when a stage failed, the run was stopped, or `describe` threw. */
  readonly experiment?: Experiment;
  readonly error?: unknown;
  readonly started: string;
  readonly finished: string;
  readonly stages: ExperimentInfo['stages'];
}

/**
 * Runs one experiment through `repro` and records it: the work tree afterwards becomes a commit
 * on top of the baseline, kept by `refs/exps/NAME` (HEAD, the index and branches never move).
 * In the workspace the `-S` values are written to the params files first and the workspace
 * keeps the results, as in DVC; in a temporary copy nothing of the workspace changes and the
 * copy is removed afterwards, whatever happens.
 */
export async function executeExperiment(project: ExperimentProject, job: ExperimentJob, place: ExperimentPlace, opts: ExecuteOptions): Promise<ExperimentOutcome> {
  const temp = 'snapshot' in place ? await TemporaryWorkspace.create(project, place.snapshot, job.name) : undefined;
  try {
    const root = temp?.root ?? project.root;
    await applyOverrides(root, job.overrides);
    await temp?.restoreRecordedData(project.builtins);
    opts.onRoot?.(root);
    const stages = { ran: [] as string[], restored: [] as string[], skipped: [] as string[] };
    const recorder = new RunRecorder(false);
    const count = (e: RunEvent): void => {
      recorder.observe(e);
      if (e.type === 'stage-started') stages.ran.push(e.id);
      else if (e.type === 'stage-restored') stages.restored.push(e.id);
      else if (e.type === 'stage-skipped') stages.skipped.push(e.id);
      opts.onEvent?.(e);
    };
    const started = new Date().toISOString();
    const result = await repro({
      cwd: root,
      targets: job.targets,
      builtins: project.builtins,
      onEvent: count,
      ...(opts.jobs !== undefined ? { jobs: opts.jobs } : {}),
      ...(opts.signal !== undefined ? { signal: opts.signal } : {}),
    });
    const outcome = { job, result, report: recorder.finish(result), started, stages };
    if (!succeeded(result) || opts.signal?.aborted) return { ...outcome, finished: new Date().toISOString() };
    let trial: TrialInfo | undefined;
    try {
      trial = await opts.describe?.(root);
    } catch (error) {
      return { ...outcome, error, finished: new Date().toISOString() };
    }
    const info: ExperimentInfo = {
      name: job.name,
      params: job.overrides,
      targets: job.targets,
      ...(job.queued !== undefined ? { queued: job.queued } : {}),
      started,
      finished: new Date().toISOString(),
      stages,
      ...(trial !== undefined ? { trial } : {}),
    };
    const commit = await recordWorkTree(project, temp?.dir ?? project.repo.dir, opts.baseline, experimentMessage(info));
    await saveExperimentRef(project.repo, job.name, commit);
    return { ...outcome, finished: info.finished, experiment: { name: job.name, commit, baseline: opts.baseline, info } };
  } finally {
    await temp?.remove();
  }
}

function succeeded(result: RunDagResult): boolean {
  return result.failed.length === 0 && result.blocked.length === 0 && result.notStarted.length === 0;
}
