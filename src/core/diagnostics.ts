import type { ErrorCode } from './error-catalogue.js';

/** A span of a source file, 1-based lines and columns; offsets are 0-based character offsets. */
export interface SourceRange {
  readonly file: string; // project-relative posix path
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

export type Severity = 'error' | 'warning';

/** One problem found in user input. `code` is stable: tests and tools match on it, never on text. */
export interface Diagnostic {
  readonly code: ErrorCode;
  readonly severity: Severity;
  readonly message: string;
  readonly range?: SourceRange;
  /** How to fix it, when we know. */
  readonly hint?: string;
}

export function error(code: ErrorCode, message: string, range?: SourceRange, hint?: string): Diagnostic {
  return { code, severity: 'error', message, ...(range ? { range } : {}), ...(hint ? { hint } : {}) };
}

export function warning(code: ErrorCode, message: string, range?: SourceRange, hint?: string): Diagnostic {
  return { code, severity: 'warning', message, ...(range ? { range } : {}), ...(hint ? { hint } : {}) };
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}
