import type { Confusion, Row } from '../report/plots/plot-data.js';

/**
 * Confusion matrices for the plots page, as full grids (zero cells included, so every revision
 * draws the same squares). Rows are actual classes, columns predicted ones; normalized = each
 * cell divided by its actual class's count.
 */
export function confusionOfRows(
  id: string,
  title: string,
  normalized: boolean,
  series: readonly { rev: string; rows: readonly Row[] }[],
  x: string,
  y: string,
  xLabel: string,
  yLabel: string,
): Confusion {
  const counts = series.map((s) => {
    const m = new Map<string, number>();
    for (const r of s.rows) {
      const key = JSON.stringify([String(r[x]), String(r[y])]);
      m.set(key, (m.get(key) ?? 0) + 1);
    }
    return { rev: s.rev, m };
  });
  const labels = [...new Set(series.flatMap((s) => s.rows.flatMap((r) => [String(r[x]), String(r[y])])))].sort();
  return grid(id, title, normalized, labels, counts.map(({ rev, m }) => ({ rev, count: (a, p) => m.get(JSON.stringify([a, p])) ?? 0 })), xLabel, yLabel);
}

/** From evaluate's `confusion_matrix: { labels, matrix }` (rows actual, columns predicted). */
export function confusionOfMatrix(id: string, matrices: readonly { rev: string; matrix: { labels: string[]; matrix: number[][] } }[]): Confusion {
  const labels = [...new Set(matrices.flatMap((m) => m.matrix.labels.map(String)))].sort();
  const sides = matrices.map(({ rev, matrix }) => {
    const index = new Map(matrix.labels.map((l, i) => [String(l), i]));
    return { rev, count: (a: string, p: string) => matrix.matrix[index.get(a) ?? -1]?.[index.get(p) ?? -1] ?? 0 };
  });
  return grid(id, id, false, labels, sides, 'actual', 'predicted');
}

function grid(
  id: string,
  title: string,
  normalized: boolean,
  labels: readonly string[],
  sides: readonly { rev: string; count: (actual: string, predicted: string) => number }[],
  xLabel: string,
  yLabel: string,
): Confusion {
  const cells = sides.flatMap(({ rev, count }) =>
    labels.flatMap((actual) => {
      const total = labels.reduce((s, p) => s + count(actual, p), 0);
      return labels.map((predicted) => {
        const c = count(actual, predicted);
        return { rev, actual, predicted, value: normalized ? (total === 0 ? 0 : c / total) : c };
      });
    }),
  );
  return { kind: 'confusion', id, title, normalized, xLabel, yLabel, labels, cells, revs: sides.map((s) => s.rev) };
}
