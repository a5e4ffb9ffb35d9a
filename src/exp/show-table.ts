import { DvctsError, ExitCode } from '../core/errors.js';
import type { TrialInfo } from './record.js';

/** One column of `exp show`: a param or a metric of one file. */
export interface ShowColumn {
  readonly kind: 'param' | 'metric';
  readonly file: string;
  readonly key: string;
  /** `key`, or `file:key` when two files have the key. */
  readonly label: string;
}

export interface ShowRow {
  readonly name: string;
  readonly kind: 'workspace' | 'baseline' | 'experiment';
  /** Values by column label. */
  readonly values: Readonly<Record<string, unknown>>;
}

export interface ExpShowRow extends ShowRow {
  /** The commit (baseline or experiment); none for the workspace. */
  readonly rev?: string;
  /** An experiment's baseline commit. */
  readonly baseline?: string;
  /** When the experiment finished (ISO). */
  readonly created?: string;
  readonly trial?: TrialInfo;
}

/** What `dvcts exp show` prints. */
export interface ExpShowResult {
  readonly columns: readonly ShowColumn[];
  readonly rows: readonly ExpShowRow[];
  /** Metric column label -> names of the experiments with its best value. */
  readonly best: Readonly<Record<string, readonly string[]>>;
  /** Refs under refs/exps/ that hold no dvcts experiment: skipped. */
  readonly problems: readonly string[];
}

export type Direction = 'minimize' | 'maximize';

/** Labels for `file` + `key` pairs: the bare key when only one file has it. */
export function labelColumns(kind: ShowColumn['kind'], pairs: readonly { file: string; key: string }[]): ShowColumn[] {
  const files = new Map<string, Set<string>>();
  for (const { file, key } of pairs) files.set(key, (files.get(key) ?? new Set()).add(file));
  return pairs.map(({ file, key }) => ({ kind, file, key, label: files.get(key)!.size > 1 ? `${file}:${key}` : key }));
}

/** Columns whose value differs between two rows (absent counts as a value). */
export function changedColumns(columns: readonly ShowColumn[], rows: readonly ShowRow[]): ShowColumn[] {
  return columns.filter((c) => new Set(rows.map((r) => JSON.stringify(r.values[c.label] ?? null))).size > 1);
}

// Names of metrics where less is better; the rest of the known ones are better when higher.
const LOWER_IS_BETTER = /(^|[._-])(loss|error|err|mae|mse|rmse|mape|perplexity|wer|cer|logloss)$/i;
const HIGHER_IS_BETTER = /(^|[._-])(accuracy|acc|f1|f1_score|precision|recall|auc|roc_auc|r2|score|map|iou|bleu|top\d+)$/i;

/**
 * Which way a metric improves: an explicit direction (a sweep's objective) wins; otherwise its
 * name decides (loss, error, mse, ... are minimized; accuracy, f1, auc, ... maximized);
 * undefined for names that say nothing (rows, seconds), which are never marked best.
 */
export function directionOf(key: string, explicit?: Direction): Direction | undefined {
  if (explicit) return explicit;
  if (LOWER_IS_BETTER.test(key)) return 'minimize';
  if (HIGHER_IS_BETTER.test(key)) return 'maximize';
  return undefined;
}

/** For each metric column with a direction: the experiment rows that hold its best value. */
export function bestRows(columns: readonly ShowColumn[], rows: readonly ShowRow[], explicit: ReadonlyMap<string, Direction>): Record<string, string[]> {
  const best: Record<string, string[]> = {};
  const candidates = rows.filter((r) => r.kind === 'experiment');
  for (const c of columns.filter((col) => col.kind === 'metric')) {
    const direction = directionOf(c.key, explicit.get(c.label));
    const numbers = candidates.filter((r) => typeof r.values[c.label] === 'number');
    if (direction === undefined || numbers.length < 2) continue;
    const values = numbers.map((r) => r.values[c.label] as number);
    const target = direction === 'minimize' ? Math.min(...values) : Math.max(...values);
    if (values.every((v) => v === target)) continue; // nothing to choose between
    best[c.label] = numbers.filter((r) => r.values[c.label] === target).map((r) => r.name);
  }
  return best;
}

/** Experiment rows sorted by a column (numbers numerically, absent values last); other rows stay first. */
export function sortRows<R extends ShowRow>(rows: readonly R[], columns: readonly ShowColumn[], by: string, order: 'asc' | 'desc'): R[] {
  const column = columns.find((c) => c.label === by || `${c.file}:${c.key}` === by);
  if (column === undefined) {
    throw new DvctsError('E_EXP_COLUMN_UNKNOWN', `--sort-by ${by}: no param or metric column has that name`, {
      data: { column: by, columns: columns.map((c) => c.label) },
      hint: `columns: ${columns.map((c) => c.label).join(', ') || '(none)'}`,
      exitCode: ExitCode.usage,
    });
  }
  const fixed = rows.filter((r) => r.kind !== 'experiment');
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: unknown, b: unknown): number => {
    if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
    if (typeof a === 'number' && typeof b === 'number') return sign * (a - b);
    return sign * String(a).localeCompare(String(b));
  };
  const experiments = rows.filter((r) => r.kind === 'experiment').sort((a, b) => compare(a.values[column.label], b.values[column.label]));
  return [...fixed, ...experiments];
}
