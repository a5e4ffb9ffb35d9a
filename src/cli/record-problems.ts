import type { Diagnostic } from '../core/diagnostics.js';
import { renderDiagnostic } from '../report/render-diagnostics.js';

/**
 * Prints the pointer and lock file records a command skipped (each at its file:line:col, with
 * the source line) and returns the exit code: 1 when anything was skipped, since the data then
 * does not match what the records say. The rest of the command's work is done either way.
 */
export function reportSkippedRecords(problems: readonly Diagnostic[], sources: ReadonlyMap<string, string>): number {
  const color = process.stderr.isTTY === true && process.env.NO_COLOR === undefined;
  for (const d of problems) process.stderr.write(`${renderDiagnostic(d, sources, { color })}\n`);
  if (problems.length > 0) process.stderr.write(`${problems.length} record(s) skipped; the other data was processed.\n`);
  return problems.length > 0 ? 1 : 0;
}
