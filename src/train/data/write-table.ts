import { fieldText, formatRow } from '../../table/index.js';

/** A small table as CSV/TSV text (header + rows, "\n" line ends, quoted only where needed). */
export function formatTable(columns: readonly string[], rows: readonly (readonly unknown[])[], delimiter: ',' | '\t'): string {
  const lines = [columns, ...rows].map((r) => formatRow(r.map(fieldText), delimiter));
  return `${lines.join('\n')}\n`;
}

export function delimiterOf(path: string): ',' | '\t' {
  return path.toLowerCase().endsWith('.tsv') ? '\t' : ',';
}
