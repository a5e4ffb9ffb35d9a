const MAX_CELL = 48;

/**
 * A table as aligned plain text (columns padded, two spaces apart, cells longer than 48
 * characters cut with "…" unless `wrap: false`) or as a Markdown table (cells whole).
 */
export function renderTable(headers: readonly string[], rows: readonly (readonly string[])[], format: 'text' | 'md', opts: { wrap?: boolean } = {}): string {
  if (format === 'md') {
    const line = (cells: readonly string[]): string => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
    return [line(headers), `|${headers.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n') + '\n';
  }
  const cut = (c: string): string => (c.length > MAX_CELL ? `${c.slice(0, MAX_CELL - 1)}…` : c);
  if (opts.wrap !== false) rows = rows.map((r) => r.map(cut));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(headers), ...rows.map(line)].join('\n') + '\n';
}

/** How a metric or param value is shown: numbers with up to 5 significant decimals, "-" when absent. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '-';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  return typeof value === 'string' ? value : JSON.stringify(value);
}
