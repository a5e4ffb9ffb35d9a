/**
 * What a plots page shows, independent of the chart library: one entry per `plots:` file (and
 * per confusion matrix of an evaluate report), each with the rows of every compared revision.
 */
export type Row = Record<string, unknown>;

export interface Curves {
  readonly kind: 'curves';
  readonly id: string;
  readonly title: string;
  /** linear | simple | scatter | smooth | bar_horizontal */
  readonly template: string;
  readonly x: string;
  readonly y: readonly string[];
  readonly xLabel: string;
  readonly yLabel: string;
  /** Rows by revision label, in the order of the revisions. */
  readonly series: readonly { readonly rev: string; readonly rows: readonly Row[] }[];
}

export interface Confusion {
  readonly kind: 'confusion';
  readonly id: string;
  readonly title: string;
  readonly normalized: boolean;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly labels: readonly string[];
  /** One cell per (rev, actual, predicted), zeros included; `value` is a count or a row share. */
  readonly cells: readonly { readonly rev: string; readonly actual: string; readonly predicted: string; readonly value: number }[];
  readonly revs: readonly string[];
}

export type PlotData = Curves | Confusion;

export const CURVE_TEMPLATES = ['linear', 'simple', 'scatter', 'smooth', 'bar_horizontal'] as const;
export const CONFUSION_TEMPLATES = ['confusion', 'confusion_normalized'] as const;
