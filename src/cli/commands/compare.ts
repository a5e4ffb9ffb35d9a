import type { MetricChange } from '../../api/metrics-diff.js';
import { formatValue, renderTable } from '../../report/render-table.js';

export interface CompareFlags {
  readonly json?: boolean;
  readonly md?: boolean;
  readonly all?: boolean;
}

/** Prints a metrics or params comparison as DVC does: Path, key, old, new, Change. */
export function printChanges(kind: 'Metric' | 'Param', result: { a: string; b: string; changes: readonly MetricChange[] }, flags: CompareFlags): void {
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  if (result.changes.length === 0) {
    process.stdout.write(`No ${kind === 'Metric' ? 'metric' : 'param'} changed between ${result.a} and ${result.b}.\n`);
    return;
  }
  const rows = result.changes.map((c) => [c.path, c.key, formatValue(c.old), formatValue(c.new), c.change === undefined ? '-' : signed(c.change)]);
  process.stdout.write(renderTable(['Path', kind, result.a, result.b, 'Change'], rows, flags.md ? 'md' : 'text'));
}

function signed(x: number): string {
  const text = formatValue(x);
  return x > 0 ? `+${text}` : text;
}
