import { bestRows, changedColumns, labelColumns, sortRows, type Direction, type ExpShowResult, type ExpShowRow, type ShowColumn } from '../exp/show-table.js';
import { listExperiments, type Experiment } from '../exp/store.js';
import { currentBranch } from '../scm/refs.js';
import type { ProjectOptions } from './builtins.js';
import { openProjectCache } from './config.js';
import { baselineOf, experimentProject } from './exp-workspace.js';
import { readFlat } from './metrics-diff.js';
import { openProject } from './open-project.js';
import { paramsAt } from './params-diff.js';
import { openSide, type ProjectSide } from './versioned-files.js';

export interface ExpShowOptions extends ProjectOptions {
  /** A column (as shown, or FILE:KEY) to sort the experiments by. */
  readonly sortBy?: string;
  readonly sortOrder?: 'asc' | 'desc';
  /** Leave out columns whose value is the same in every row. */
  readonly onlyChanged?: boolean;
}

/**
 * `dvcts exp show`: one row for the workspace, one for the baseline (HEAD) and one per
 * experiment; a column for each tracked param and each metric the pipelines declare, read at each
 * commit (metrics from the cache by the ids its lock files record). The best value of each
 * metric among the experiments is reported: lower for loss/error-like names, higher for
 * accuracy-like ones, and a sweep objective's own direction.
 */
export async function expShow(opts: ExpShowOptions = {}): Promise<ExpShowResult> {
  const project = experimentProject(opts);
  const { dag } = await openProject({ ...opts, cwd: project.root });
  const cache = await openProjectCache(project.root);
  const { experiments, problems } = await listExperiments(project.repo);
  const head = await baselineOf(project);

  const tracked = new Map<string, Set<string | undefined>>();
  for (const stage of dag.byId.values()) for (const p of stage.params) tracked.set(p.file, (tracked.get(p.file) ?? new Set()).add(p.key));
  const metricFiles = [...new Set([...dag.byId.values()].flatMap((s) => s.outs.filter((o) => o.kind === 'metric').map((o) => o.path)))].sort();

  const read = async (side: ProjectSide): Promise<{ params: Map<string, unknown>; metrics: Map<string, unknown> }> => {
    const params = new Map<string, unknown>();
    for (const [file, keys] of tracked) for (const [key, value] of await paramsAt(side, file, keys)) params.set(`${file}\0${key}`, value);
    const metrics = new Map<string, unknown>();
    for (const file of metricFiles) for (const [key, value] of Object.entries((await readFlat(side, file, [])) ?? {})) metrics.set(`${file}\0${key}`, value);
    return { params, metrics };
  };
  const sides: { row: Omit<ExpShowRow, 'values'>; values: Awaited<ReturnType<typeof read>> }[] = [];
  sides.push({ row: { name: 'workspace', kind: 'workspace' }, values: await read(await openSide(project.root, cache, undefined)) });
  const branch = await currentBranch(project.repo);
  sides.push({ row: { name: branch ?? head.slice(0, 7), kind: 'baseline', rev: head }, values: await read(await openSide(project.root, cache, head)) });
  for (const e of experiments) sides.push({ row: experimentRow(e), values: await read(await openSide(project.root, cache, e.commit)) });

  const pairs = (which: 'params' | 'metrics'): { file: string; key: string }[] =>
    [...new Set(sides.flatMap((s) => [...s.values[which].keys()]))].sort().map((id) => {
      const [file = '', key = ''] = id.split('\0');
      return { file, key };
    });
  let columns = [...labelColumns('param', pairs('params')), ...labelColumns('metric', pairs('metrics'))];
  let rows: ExpShowRow[] = sides.map(({ row, values }) => ({
    ...row,
    values: Object.fromEntries(columns.map((c) => [c.label, values[c.kind === 'param' ? 'params' : 'metrics'].get(`${c.file}\0${c.key}`)]).filter(([, v]) => v !== undefined)),
  }));
  if (opts.onlyChanged) columns = changedColumns(columns, rows);
  if (opts.sortBy !== undefined) rows = sortRows(rows, columns, opts.sortBy, opts.sortOrder ?? 'asc');
  return { columns, rows, best: bestRows(columns, rows, objectiveDirections(experiments, columns)), problems: problems.map((p) => p.message) };
}

function experimentRow(e: Experiment): Omit<ExpShowRow, 'values'> {
  return { name: e.name, kind: 'experiment', rev: e.commit, baseline: e.baseline, created: e.info.finished, ...(e.info.trial ? { trial: e.info.trial } : {}) };
}

/** A sweep's objective column is judged by the sweep's own direction. */
function objectiveDirections(experiments: readonly Experiment[], columns: readonly ShowColumn[]): Map<string, Direction> {
  const directions = new Map<string, Direction>();
  for (const e of experiments) {
    const t = e.info.trial;
    if (t === undefined) continue;
    const column = columns.find((c) => c.kind === 'metric' && `${c.file}:${c.key}` === t.objective);
    if (column) directions.set(column.label, t.direction);
  }
  return directions;
}
