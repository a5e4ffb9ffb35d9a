import { sep } from 'node:path';
import { hintFor } from '../api/error-catalogue.js';
import { findProjectRoot } from '../api/project.js';
import { DiagnosticsError, ExitCode, isDvctsError } from '../core/errors.js';
import { systemError } from '../core/system-errors.js';
import { renderDiagnostic } from '../report/render-diagnostics.js';
import { styleFor } from '../report/style.js';

/** Prints a command's failure on stderr and gives its exit code (see runAction). */
export function reportError(thrown: unknown): number {
  // A full disk or a missing permission is the user's to fix, not a bug: coded, with the path.
  const e = systemError(thrown) ?? thrown;
  const s = styleFor(process.stderr);
  if (e instanceof DiagnosticsError) {
    const color = process.stderr.isTTY === true && process.env.NO_COLOR === undefined;
    for (const d of e.diagnostics) process.stderr.write(`${renderDiagnostic(d, e.sources, { color })}\n`);
    const errors = e.diagnostics.filter((d) => d.severity === 'error').length;
    process.stderr.write(`${errors} error(s); nothing was run.\n`);
    return e.exitCode;
  }
  if (isDvctsError(e)) {
    const rel = projectRelative();
    process.stderr.write(`${s.red(s.bold('error'))}[${e.code}]: ${rel(e.message)}\n`);
    const hint = hintFor(e.code, e.hint);
    if (hint) process.stderr.write(`  hint: ${rel(hint)}\n`);
    if (process.env.DVCTS_DEBUG) process.stderr.write(`${e.stack}\n`);
    return e.exitCode;
  }
  process.stderr.write(`internal error (a bug in dvcts, please report it): ${e instanceof Error ? e.message : String(e)}\n`);
  process.stderr.write(`${e instanceof Error ? e.stack : ''}\n`);
  return ExitCode.failure;
}

/**
 * Runtime errors name files by the absolute paths they were met at (a cache object, a stage's
 * output); they are shown relative to the project root, as validation errors are.
 */
function projectRelative(): (text: string) => string {
  let root: string;
  try {
    root = findProjectRoot();
  } catch {
    return (text) => text;
  }
  const prefix = root.endsWith(sep) ? root : root + sep;
  return (text) => text.split(prefix).join('');
}
