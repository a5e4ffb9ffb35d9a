import { DvctsError, ExitCode } from '../core/errors.js';
import { applyOverrides, type ParamOverride } from '../exp/params-override.js';
import { runPool } from '../exp/pool.js';
import { directionOf, type Direction } from '../exp/show-table.js';
import { assertNameFree, checkExperimentName } from '../exp/store.js';
import { gridSampler, gridSize } from '../exp/sweep/grid.js';
import { parseMetricRef, readObjective, type MetricRef } from '../exp/sweep/metric-file.js';
import { tpeSampler } from '../exp/sweep/optuna.js';
import { PruneWatch } from '../exp/sweep/prune-watch.js';
import { randomSampler } from '../exp/sweep/random.js';
import type { Sampler, TrialParams } from '../exp/sweep/sampler.js';
import { parseSearchSpace, sampleOverrides, type SearchSpace } from '../exp/sweep/space.js';
import type { CommitOid } from '../scm/revision.js';
import type { ProjectOptions } from './builtins.js';
import { chooseName } from './exp-run.js';
import { executeExperiment } from './exp-execute.js';
import { openExperimentLog } from './exp-log.js';
import { baselineOf, experimentProject, recordWorkTree, sweepTemporaryWorkspaces, type ExperimentProject } from './exp-workspace.js';
import { openProject } from './open-project.js';

export type SamplerName = 'grid' | 'random' | 'tpe';

export interface SweepOptions extends ProjectOptions {
  /** `-S KEY=choice(...)|uniform(lo,hi)|loguniform(lo,hi)|int(lo,hi)`; plain `-S KEY=VALUE` is the same in every trial. */
  readonly set: readonly string[];
  /** `FILE:KEY` of the metric to optimise. */
  readonly objective: string;
  /** Default: from the key's name (loss-like minimize, accuracy-like maximize); else required. */
  readonly direction?: Direction;
  /** Default 10 (grid: every point). */
  readonly trials?: number;
  /** Trials run at once, each in its own temporary workspace (default 1). */
  readonly jobs?: number;
  readonly sampler?: SamplerName;
  readonly seed?: number;
  /** Prefix of the trials' names (default sweep-XXXXXX). */
  readonly name?: string;
  readonly targets?: readonly string[];
  /** tpe: random trials before TPE models the results (default a third of the trials, 2 to 10). */
  readonly startupTrials?: number;
  /** tpe: `FILE:COLUMN` of a per-epoch table the trial writes as it runs: Optuna's MedianPruner stops hopeless trials. */
  readonly pruneOn?: string;
  /** Trials that always run to the end before pruning starts (default 5, Optuna's). */
  readonly pruneStartupTrials?: number;
  /** Steps of each trial never pruned (default 0). */
  readonly pruneWarmupSteps?: number;
  readonly signal?: AbortSignal;
  onTrial?(event: TrialEvent): void;
}

export type TrialState = 'complete' | 'pruned' | 'failed' | 'interrupted';

export interface TrialSummary {
  readonly name: string;
  readonly number: number;
  readonly params: readonly ParamOverride[];
  readonly state: TrialState;
  readonly value?: number;
  /** The step (epoch) at which a pruned trial was stopped. */
  readonly prunedAt?: number;
  readonly reason?: string;
  readonly seconds: number;
  /** Stage ids this trial ran (not restored from the run-cache, not up to date). */
  readonly ran: readonly string[];
  readonly log: string;
}

export type TrialEvent =
  | { readonly type: 'trial-started'; readonly name: string; readonly number: number; readonly params: readonly ParamOverride[]; readonly log: string }
  | ({ readonly type: 'trial-finished' } & TrialSummary);

export interface SweepResult {
  readonly name: string;
  readonly sampler: SamplerName;
  readonly objective: string;
  readonly direction: Direction;
  /** In the order they finished. */
  readonly trials: readonly TrialSummary[];
  readonly best?: TrialSummary;
  /** How many trials ran each stage: stages upstream of the searched params should be 0 after the first trial. */
  readonly stageRuns: Readonly<Record<string, number>>;
}

/**
 * `dvcts exp sweep`: a parameter search in which every trial is an experiment (refs/exps/NAME,
 * visible in `exp show`, applicable with `exp apply`). Trials run in temporary copies of the
 * workspace as it is now, sharing the cache: stages whose inputs a trial does not change are
 * up to date there (or restored from the run-cache), so a search over training params never
 * reruns the data stages. With `jobs` > 1 the first trial runs alone, so that stages every trial
 * shares run once. grid and random are built in; tpe is Optuna's, through its ask-and-tell
 * interface, with its pruning.
 */
export async function expSweep(opts: SweepOptions): Promise<SweepResult> {
  const project = experimentProject(opts);
  const plan = await planSweep(project, opts);
  const baseline = await baselineOf(project);
  await sweepTemporaryWorkspaces(project.root);
  // Optuna takes seconds to import: the bridge starts while the workspace is recorded.
  const [snapshot, sampler] = await Promise.all([recordWorkTree(project, project.repo.dir, baseline, `dvcts exp sweep ${plan.name} (workspace)`), openSampler(plan, opts)]);
  const trials: TrialSummary[] = [];
  let asked = 0;
  try {
    await runPool<TrialParams>({
      jobs: () => (trials.length === 0 ? 1 : (opts.jobs ?? 1)),
      ...(opts.signal ? { signal: opts.signal } : {}),
      next: () => (asked++ < plan.trials ? sampler.ask() : undefined),
      run: async (params) => {
        const summary = await runTrial(project, plan, sampler, params, { snapshot, baseline, ...(opts.signal ? { signal: opts.signal } : {}), onTrial: opts.onTrial });
        trials.push(summary);
        opts.onTrial?.({ type: 'trial-finished', ...summary });
      },
    });
  } finally {
    await sampler.close();
  }
  const complete = trials.filter((t) => t.state === 'complete');
  const sign = plan.direction === 'minimize' ? 1 : -1;
  const best = complete.reduce<TrialSummary | undefined>((b, t) => (b === undefined || sign * (t.value! - b.value!) < 0 ? t : b), undefined);
  const stageRuns: Record<string, number> = {};
  for (const t of trials) for (const id of t.ran) stageRuns[id] = (stageRuns[id] ?? 0) + 1;
  return { name: plan.name, sampler: plan.sampler, objective: `${plan.objective.file}:${plan.objective.key}`, direction: plan.direction, trials, ...(best ? { best } : {}), stageRuns };
}

interface SweepPlan {
  readonly name: string;
  readonly space: SearchSpace;
  readonly sampler: SamplerName;
  readonly trials: number;
  readonly objective: MetricRef;
  readonly direction: Direction;
  readonly pruneOn?: MetricRef;
  readonly targets: readonly string[];
}

/** Every check that can fail before a trial runs: the space, the keys, the files, the options. */
async function planSweep(project: ExperimentProject, opts: SweepOptions): Promise<SweepPlan> {
  const space = parseSearchSpace(opts.set);
  if (space.dimensions.length === 0) throw optionError('set', 'nothing to search: give at least one -S KEY=choice(...), uniform(...), loguniform(...) or int(...)');
  await applyOverrides(project.root, sampleOverrides(space), { checkOnly: true });
  const { dag, targets } = await openProject({ ...opts, targets: opts.targets ?? [] });
  const outputs = [...dag.byId.values()].flatMap((s) => s.outs.map((o) => o.path));
  const declared = (option: string, ref: MetricRef): MetricRef => {
    if (outputs.includes(ref.file)) return ref;
    throw optionError(option, `${ref.file} is not an output of any stage`, `stage outputs: ${outputs.join(', ') || '(none)'}`);
  };
  const objective = declared('objective', parseMetricRef('objective', opts.objective));
  const direction = opts.direction ?? directionOf(objective.key);
  if (direction === undefined) throw optionError('direction', `is ${objective.key} to be minimized or maximized?`, 'give --direction minimize or --direction maximize');
  const sampler = opts.sampler ?? 'tpe';
  if (opts.pruneOn !== undefined && sampler !== 'tpe') throw optionError('prune-on', `pruning is Optuna's: it needs --sampler tpe (not ${sampler})`);
  const trials = sampler === 'grid' ? Math.min(opts.trials ?? Infinity, gridSize(space.dimensions)) : (opts.trials ?? 10);
  const name = opts.name !== undefined ? checkExperimentName(opts.name) : await chooseName(project.repo, undefined, 'sweep');
  for (let n = 0; n < trials; n++) await assertNameFree(project.repo, trialName(name, n, trials));
  return {
    name,
    space,
    sampler,
    trials,
    objective,
    direction,
    targets,
    ...(opts.pruneOn !== undefined ? { pruneOn: declared('prune-on', parseMetricRef('prune-on', opts.pruneOn)) } : {}),
  };
}

async function openSampler(plan: SweepPlan, opts: SweepOptions): Promise<Sampler> {
  const seed = opts.seed ?? 0;
  if (plan.sampler === 'grid') return gridSampler(plan.space.dimensions);
  if (plan.sampler === 'random') return randomSampler(plan.space.dimensions, seed);
  return tpeSampler(plan.space.dimensions, {
    direction: plan.direction,
    seed,
    startupTrials: opts.startupTrials ?? Math.min(10, Math.max(2, Math.floor(plan.trials / 3))),
    ...(plan.pruneOn ? { pruner: { startupTrials: opts.pruneStartupTrials ?? 5, warmupSteps: opts.pruneWarmupSteps ?? 0 } } : {}),
  });
}

interface TrialContext {
  readonly snapshot: CommitOid;
  readonly baseline: CommitOid;
  readonly signal?: AbortSignal;
  readonly onTrial: SweepOptions['onTrial'];
}

/** One trial: an experiment in a temporary workspace, its objective told to the sampler. */
async function runTrial(project: ExperimentProject, plan: SweepPlan, sampler: Sampler, params: TrialParams, ctx: TrialContext): Promise<TrialSummary> {
  const name = trialName(plan.name, params.number, plan.trials);
  const overrides = [...plan.space.fixed, ...params.overrides];
  const log = await openExperimentLog(project.root, name, overrides);
  ctx.onTrial?.({ type: 'trial-started', name, number: params.number, params: params.overrides, log: log.path });
  const stop = new AbortController();
  let prunedAt: number | undefined;
  let watch: PruneWatch | undefined;
  const started = performance.now();
  const run = executeExperiment(project, { name, overrides, targets: plan.targets }, { snapshot: ctx.snapshot }, {
    baseline: ctx.baseline,
    signal: ctx.signal ? AbortSignal.any([ctx.signal, stop.signal]) : stop.signal,
    onEvent: log.onEvent,
    onRoot: (root) => {
      if (plan.pruneOn === undefined) return;
      watch = new PruneWatch(root, plan.pruneOn, params.number, sampler, (step) => {
        prunedAt = step;
        log.line(`pruned by Optuna at step ${step}`);
        stop.abort(new DvctsError('E_EXP_RUN_FAILED', `trial ${name} was pruned at step ${step}`, { data: { name } }));
      }).start();
    },
    describe: async (root) => ({
      sweep: plan.name,
      trial: params.number,
      sampler: plan.sampler,
      objective: `${plan.objective.file}:${plan.objective.key}`,
      direction: plan.direction,
      value: await readObjective(root, plan.objective, name),
    }),
  });
  const outcome = await run.catch((error: unknown) => ({ error, experiment: undefined, result: undefined, stages: { ran: [] as string[] } }));
  await watch?.stop();
  const value = outcome.experiment?.info.trial?.value;
  const state: TrialState = value !== undefined ? 'complete' : prunedAt !== undefined ? 'pruned' : ctx.signal?.aborted ? 'interrupted' : 'failed';
  const reason =
    outcome.error !== undefined ? (outcome.error instanceof Error ? outcome.error.message : String(outcome.error)) : state === 'failed' ? `stage(s) failed: ${outcome.result?.failed.join(', ')}` : undefined;
  if (state !== 'interrupted') await sampler.tell(params.number, state === 'complete' ? { state, value: value! } : { state });
  log.line(`${state}${value !== undefined ? ` ${plan.objective.key}=${value}` : ''}${reason ? `: ${reason}` : ''}`);
  await log.close();
  return {
    name,
    number: params.number,
    params: params.overrides,
    state,
    ...(value !== undefined ? { value } : {}),
    ...(prunedAt !== undefined ? { prunedAt } : {}),
    ...(reason ? { reason } : {}),
    seconds: (performance.now() - started) / 1000,
    ran: outcome.stages.ran,
    log: log.path,
  };
}

/** `sweep-ab12cd-03`: the trial number padded to the width of the last one. */
export function trialName(sweep: string, number: number, trials: number): string {
  return `${sweep}-${String(number).padStart(String(Math.max(trials - 1, 0)).length, '0')}`;
}

function optionError(option: string, message: string, hint?: string): DvctsError {
  return new DvctsError('E_SWEEP_OPTION', `--${option}: ${message}`, { data: { option }, ...(hint ? { hint } : {}), exitCode: ExitCode.usage });
}
