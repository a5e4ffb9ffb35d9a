import type { Diagnostic } from './diagnostics.js';

/** Exit codes of the CLI. */
export const ExitCode = {
  ok: 0,
  failure: 1, // a stage failed, data problem, runtime error
  usage: 2, // invalid pipeline / arguments: nothing ran
  locked: 3, // project locked by another process and --no-wait given
} as const;

/**
 * Every expected failure is a DvctsError with a stable `code` (e.g. "E_PIPELINE_INVALID").
 * The CLI prints `message` (and `hint`) without a stack trace; tests match on `code` and `data`.
 */
export class DvctsError extends Error {
  readonly code: string;
  readonly data: Record<string, unknown>;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(
    code: string,
    message: string,
    opts: { data?: Record<string, unknown>; hint?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DvctsError';
    this.code = code;
    this.data = opts.data ?? {};
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? ExitCode.failure;
  }
}

/** User input (pipeline YAML, pointer file, params) is invalid: carries every diagnostic found. */
export class DiagnosticsError extends DvctsError {
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of the files the diagnostics point into, by project-relative path, for rendering. */
  readonly sources: ReadonlyMap<string, string>;

  constructor(diagnostics: readonly Diagnostic[], message = 'invalid input', sources: ReadonlyMap<string, string> = new Map()) {
    super('E_INVALID', message, { exitCode: ExitCode.usage, data: { count: diagnostics.length } });
    this.diagnostics = diagnostics;
    this.sources = sources;
  }
}

export function isDvctsError(e: unknown): e is DvctsError {
  return e instanceof DvctsError;
}
