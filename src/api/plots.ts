import { join, resolve } from 'node:path';
import Papa from 'papaparse';
import { METRICS_YAML, parseYamlValue } from '../pipeline/safe-yaml.js';
import type { OutSpec } from '../core/spec.js';
import { DvctsError, ExitCode } from '../core/errors.js';
import { resolveTargets, selectStages } from '../graph/targets.js';
import { CONFUSION_TEMPLATES, CURVE_TEMPLATES, type PlotData, type Row } from '../report/plots/plot-data.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ProjectOptions } from './builtins.js';
import { openProjectCache } from './config.js';
import { openProject } from './open-project.js';
import { confusionOfMatrix, confusionOfRows } from './plots-confusion.js';
import { openSide, type ProjectSide } from './versioned-files.js';

export interface PlotsOptions extends ProjectOptions {
  readonly targets?: readonly string[];
  /** Revisions to compare (undefined = the workspace); `plots show` has one side, `plots diff` two. */
  readonly revs?: readonly (string | undefined)[];
  /** Output folder, relative to cwd (default dvcts_plots). */
  readonly out?: string;
}

export interface PlotsResult {
  /** Absolute path of the page written. */
  readonly page: string;
  readonly plots: readonly { readonly id: string; readonly kind: string }[];
  readonly problems: readonly { readonly path: string; readonly side: string; readonly message: string }[];
}

/**
 * `dvcts plots show|diff`: one self-contained HTML page (the chart library inlined, no network)
 * with the curves of every `plots:` file of the selected stages, overlaid across revisions, and
 * the confusion matrices: `template: confusion` plot files (rows of actual/predicted), and the
 * `confusion_matrix` of evaluate reports of stages that declare no confusion plot.
 */
export async function plots(opts: PlotsOptions = {}): Promise<PlotsResult> {
  const cwd = resolve(opts.cwd ?? process.cwd());
  const project = await openProject({ ...opts, cwd });
  const ids = project.targets.length > 0 ? resolveTargets(project.dag, project.targets) : selectStages(project.dag, undefined);
  const cache = await openProjectCache(project.root);
  const sides: ProjectSide[] = [];
  for (const rev of opts.revs ?? [undefined]) sides.push(await openSide(project.root, cache, rev));
  const problems: { path: string; side: string; message: string }[] = [];
  const read = async (path: string, parser: (text: string, path: string) => unknown): Promise<{ rev: string; value: unknown }[]> => {
    const found = [];
    for (const side of sides) {
      const got = await side.read(path);
      if ('missing' in got) problems.push({ path, side: side.label, message: got.missing });
      else {
        try {
          found.push({ rev: side.label, value: parser(got.text, path) });
        } catch (e) {
          problems.push({ path, side: side.label, message: (e as Error).message });
        }
      }
    }
    return found;
  };

  const data: PlotData[] = [];
  for (const id of ids) {
    const stage = project.dag.byId.get(id)!;
    const plotOuts = stage.outs.filter((o) => o.kind === 'plot');
    for (const out of plotOuts) {
      const series = (await read(out.path, parseRows)).map((s) => ({ rev: s.rev, rows: s.value as Row[] }));
      if (series.length > 0) data.push(plotOf(out, series));
    }
    if (plotOuts.some((o) => isConfusion(o))) continue;
    for (const out of stage.outs.filter((o) => o.kind === 'metric')) {
      const matrices = (await read(out.path, (text) => parseYamlValue(text, out.path, METRICS_YAML))).filter((s) => hasMatrix(s.value));
      if (matrices.length > 0) data.push(confusionOfMatrix(`${out.path} (confusion_matrix)`, matrices.map((m) => ({ rev: m.rev, matrix: (m.value as { confusion_matrix: Matrix }).confusion_matrix }))));
    }
  }
  const { plotsPage } = await import('../report/plots/page.js');
  const page = join(resolve(cwd, opts.out ?? 'dvcts_plots'), 'index.html');
  await writeFileAtomic(page, await plotsPage(data, sides.map((s) => s.label)));
  return { page, plots: data.map((d) => ({ id: d.id, kind: d.kind })), problems };
}

type Matrix = { labels: string[]; matrix: number[][] };

function hasMatrix(value: unknown): boolean {
  const m = (value as { confusion_matrix?: Matrix } | null)?.confusion_matrix;
  return Array.isArray(m?.labels) && Array.isArray(m?.matrix);
}

function isConfusion(out: OutSpec): boolean {
  return (CONFUSION_TEMPLATES as readonly string[]).includes(out.plot?.template ?? '');
}

function plotOf(out: OutSpec, series: { rev: string; rows: Row[] }[]): PlotData {
  const o = out.plot ?? {};
  const template = o.template ?? 'linear';
  const columns = [...new Set(series.flatMap((s) => s.rows.flatMap((r) => Object.keys(r))))];
  if (isConfusion(out)) {
    const [x, y] = [o.x ?? 'actual', o.y ?? 'predicted'];
    for (const c of [x, y]) if (!columns.includes(c)) throw unknownField(out.path, c, columns);
    return confusionOfRows(out.path, o.title ?? `${out.path} (confusion matrix)`, template === 'confusion_normalized', series, x, y, o.x_label ?? x, o.y_label ?? y);
  }
  if (!(CURVE_TEMPLATES as readonly string[]).includes(template)) {
    throw new DvctsError('E_PLOT_TEMPLATE', `${out.path}: unknown plot template "${template}"`, {
      data: { path: out.path, template },
      hint: `use one of ${[...CURVE_TEMPLATES, ...CONFUSION_TEMPLATES].join(', ')}`,
      exitCode: ExitCode.usage,
    });
  }
  const x = o.x ?? columns.find((c) => c === 'epoch' || c === 'step') ?? 'step';
  const withX = x === 'step' && !columns.includes('step') ? series.map((s) => ({ rev: s.rev, rows: s.rows.map((r, i) => ({ step: i, ...r })) })) : series;
  const numeric = (c: string): boolean => series.some((s) => s.rows.some((r) => typeof r[c] === 'number'));
  const y = o.y !== undefined ? [o.y] : columns.filter((c) => c !== x && numeric(c));
  for (const c of [x, ...y]) if (c !== 'step' && !columns.includes(c)) throw unknownField(out.path, c, columns);
  return { kind: 'curves', id: out.path, title: o.title ?? out.path, template, x, y, xLabel: o.x_label ?? x, yLabel: o.y_label ?? (y.length === 1 ? y[0]! : 'value'), series: withX };
}

/** CSV/TSV (header row, numbers typed) or JSON (an array of objects, or an object holding one). */
function parseRows(text: string, path: string): Row[] {
  if (/\.json$/i.test(path)) {
    const value = JSON.parse(text) as unknown;
    const rows = Array.isArray(value) ? value : Object.values(value as object).find(Array.isArray);
    if (!Array.isArray(rows)) throw new Error('a JSON plots file must be an array of objects, or an object holding one');
    return rows as Row[];
  }
  const parsed = Papa.parse<Row>(text, { header: true, dynamicTyping: true, skipEmptyLines: true, delimiter: /\.tsv$/i.test(path) ? '\t' : ',' });
  if (parsed.errors.length > 0) throw new Error(`line ${(parsed.errors[0]!.row ?? 0) + 2}: ${parsed.errors[0]!.message}`);
  return parsed.data;
}

function unknownField(path: string, field: string, columns: readonly string[]): DvctsError {
  return new DvctsError('E_PLOT_FIELD', `${path}: the plot names field "${field}", which the file does not have (it has ${columns.join(', ') || 'no fields'})`, {
    data: { path, field, columns },
    hint: 'fix x/y in the plots: options of the stage',
    exitCode: ExitCode.usage,
  });
}
