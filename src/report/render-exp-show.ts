import Papa from 'papaparse';
import type { ExpShowResult, ExpShowRow } from '../exp/show-table.js';
import { formatValue, renderTable } from './render-table.js';
import type { Style } from './style.js';

export type ShowFormat = 'text' | 'md' | 'csv' | 'json';

/**
 * `exp show` as a table (params, then metrics; the best value of a metric among the
 * experiments marked `*`, bold on a terminal), Markdown (best in bold), CSV (plain values, for
 * spreadsheets) or JSON (everything, with `best` by column).
 */
export function renderShow(result: ExpShowResult, format: ShowFormat, style: Style): string {
  if (format === 'json') return `${JSON.stringify(result, null, 2)}\n`;
  const labels = result.columns.map((c) => c.label);
  if (format === 'csv') {
    const rows = result.rows.map((r) => [r.name, r.kind, r.rev ?? '', r.baseline ?? '', r.created ?? '', ...labels.map((l) => csvValue(r.values[l]))]);
    return `${Papa.unparse([['Experiment', 'Kind', 'Rev', 'Baseline', 'Created', ...labels], ...rows], { newline: '\n' })}\n`;
  }
  const isBest = (row: ExpShowRow, label: string): boolean => result.best[label]?.includes(row.name) === true;
  const cell = (row: ExpShowRow, label: string): string => {
    const text = formatValue(row.values[label]);
    if (!isBest(row, label)) return text;
    return format === 'md' ? `**${text}**` : `${text}*`;
  };
  const rows = result.rows.map((r) => [rowName(r), created(r), ...labels.map((l) => cell(r, l))]);
  let text = renderTable(['Experiment', 'Created', ...labels], rows, format);
  if (format === 'text') {
    // Bold is added after padding, so the columns stay aligned.
    text = text.replace(/(\S+)\*(?=\s|$)/gm, (_, value: string) => `${style.bold(`${value}*`)}`);
    if (Object.keys(result.best).length > 0) text += style.dim('* best among the experiments (lowest loss/error, highest accuracy/f1/..., a sweep objective by its direction)\n');
  }
  return text;
}

function rowName(row: ExpShowRow): string {
  if (row.kind === 'experiment') return `├── ${row.name}${row.trial ? ` (trial ${row.trial.trial})` : ''}`;
  return row.name;
}

function created(row: ExpShowRow): string {
  if (row.created === undefined) return '-';
  const d = new Date(row.created);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function csvValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
