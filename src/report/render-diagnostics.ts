import type { Diagnostic, Severity } from '../core/diagnostics.js';

export interface RenderOptions {
  /** ANSI colours (red errors, yellow warnings, bold header): only when the CLI writes to a TTY. */
  readonly color?: boolean;
}

/**
 * Renders a diagnostic like a compiler does:
 *
 *   pipelines/text.yaml:7:5: error[E_UNKNOWN_KEY]: unknown key "dep" in stage "clean"
 *       7 |     dep: [datasets/work/poems.csv]
 *         |     ^^^
 *     hint: did you mean "deps"?
 */
export function renderDiagnostic(d: Diagnostic, sources: ReadonlyMap<string, string>, opts: RenderOptions = {}): string {
  const paint = painter(opts.color === true);
  const label = `${paint.severity(d.severity, d.severity)}${paint.bold(`[${d.code}]: ${d.message}`)}`;
  const lines: string[] = [];
  const range = d.range;
  if (!range) {
    lines.push(label);
  } else {
    lines.push(`${paint.bold(`${range.file}:${range.line}:${range.col}: `)}${label}`);
    const source = sources.get(range.file);
    const sourceLine = source?.split(/\r?\n/)[range.line - 1];
    if (sourceLine !== undefined) {
      // One space of margin, then the line number right-aligned in at least 4 columns.
      const gutter = ` ${String(range.line).padStart(Math.max(4, String(range.line).length))}`;
      const blank = ' '.repeat(gutter.length);
      lines.push(`${gutter} | ${sourceLine}`);
      lines.push(`${blank} | ${paint.severity(d.severity, caretLine(sourceLine, range.col, range.line === range.endLine ? range.endCol : Infinity))}`);
    }
  }
  if (d.hint) lines.push(`  hint: ${d.hint}`);
  return lines.join('\n');
}

/** Spaces (tabs kept where the source has them) up to `col`, then carets up to `endCol` or the line end. */
function caretLine(sourceLine: string, col: number, endCol: number): string {
  const start = Math.max(0, Math.min(col - 1, sourceLine.length));
  const end = Math.min(Math.max(endCol - 1, start + 1), Math.max(sourceLine.length, start + 1));
  const indent = [...sourceLine.slice(0, start)].map((c) => (c === '\t' ? '\t' : ' ')).join('');
  return indent + '^'.repeat(Math.max(1, end - start));
}

interface Painter {
  severity(severity: Severity, text: string): string;
  bold(text: string): string;
}

function painter(color: boolean): Painter {
  if (!color) return { severity: (_s, text) => text, bold: (text) => text };
  return {
    severity: (severity, text) => `\u001b[1;${severity === 'error' ? 31 : 33}m${text}\u001b[0m`,
    bold: (text) => `\u001b[1m${text}\u001b[0m`,
  };
}
