import type { Diagnostic } from './diagnostics.js';
import { defineErrors, type CodesOf, type DataOf, type ErrorCode } from './error-catalogue.js';

/** Exit codes of the CLI. */
export const ExitCode = {
  ok: 0,
  failure: 1, // a stage failed, data problem, runtime error
  usage: 2, // invalid pipeline / arguments: nothing ran
  locked: 3, // project locked by another process and --no-wait given
  interrupted: 130, // Ctrl-C or SIGTERM (128 + SIGINT, as shells report it)
} as const;

/** Codes any layer or built-in may raise. */
export const CORE_ERRORS = defineErrors('core', {
  E_INVALID: { meaning: 'the pipelines, params or arguments are invalid; every problem is listed with its file:line:col (exit code 2)', hint: 'fix the problems listed', data: { count: 'number' } },
  E_INTERRUPTED: {
    meaning: 'Ctrl-C or SIGTERM stopped the command (exit code 130); the message says what was stopped and what was kept',
    hint: 'run the command again: finished work (recorded stages, stored objects, written pointers) is kept',
    data: { signal: 'string' },
  },
  E_INTERNAL: { meaning: 'a bug in dvcts or in a built-in, not a problem with your data', hint: 'run again with DVCTS_DEBUG=1 for the stack trace, and report it' },
  E_ENGINE_MISSING: {
    meaning: 'a tool, package or server that a built-in needs is missing, or lacks what was asked (a language pair, ...)',
    hint: 'install what the message names',
    data: { engine: 'string?', package: 'string?', url: 'string?', pair: 'string?', executable: 'string?', path: 'string?', missing: 'string[]?', installed: 'string[]?' },
  },
  // The path rule (core/path-rule.ts), for every path of pipeline, lock and pointer files, re-checked before writes (util/confined-path.ts).
  E_PATH_EMPTY: { meaning: 'an empty path', hint: 'write a file or folder path', data: { path: 'string?' } },
  E_PATH_OUTSIDE: { meaning: 'a path is absolute or leaves the project', hint: 'write it relative to the project root (or the stage wdir), inside the project', data: { path: 'string?' } },
  E_PATH_INVALID: { meaning: 'a recorded path is not normalised (".", empty parts, "\\", NUL)', hint: 'record the path as dvcts writes it: relative, "/" between folder names', data: { path: 'string?' } },
  E_PATH_RESERVED: {
    meaning: 'a path is the project root, inside .git/ or .dvcts/, or (for outputs and tracked data) inside pipelines/, named like a pointer or lock file, or holding a pipeline or lock file',
    hint: 'name a file or folder of data inside the project',
    data: { path: 'string?' },
  },
  E_PATH_SYMLINK: { meaning: 'a path goes through a symbolic link to a folder (it could lead out of the project)', hint: 'replace the link with a real folder, or track the data where the link points', data: { path: 'string', link: 'string' } },
  // System errors (core/system-errors.ts), with the path they happened at.
  E_PERMISSION: { meaning: 'permission denied while reading or writing a file or folder', hint: 'check the owner and mode of the file and of its folder (ls -l)', data: { path: 'string?', errno: 'string?', action: 'string?' } },
  E_NO_SPACE: { meaning: 'no space left on the device (or the disk quota is exceeded)', hint: 'free some space (`dvcts gc` removes unused cache objects), then run again', data: { path: 'string?', errno: 'string?', action: 'string?' } },
  E_READ_ONLY_FS: { meaning: 'the file system is read-only', hint: 'run the command where the project can be written', data: { path: 'string?', errno: 'string?', action: 'string?' } },
  E_IO: { meaning: 'an input/output error of the device', hint: 'the disk may be failing: check the system log', data: { path: 'string?', errno: 'string?', action: 'string?' } },
});

declare module './error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof CORE_ERRORS> {}
}

interface ErrorOptions<D> {
  readonly data: D;
  /** How to fix it, for this case (the catalogue's general hint is shown otherwise). */
  readonly hint?: string;
  readonly exitCode?: number;
  readonly cause?: unknown;
}

/** `data` may be left out only when the code declares no required field. */
type ErrorArgs<C extends ErrorCode> = Record<string, never> extends DataOf<C>
  ? [opts?: Partial<ErrorOptions<DataOf<C>>>]
  : [opts: ErrorOptions<DataOf<C>>];

/**
 * Every expected failure is a DvctsError with a stable `code` declared in the catalogue (see
 * error-catalogue.ts), its typed `data`, and a hint. The CLI prints `message` and the hint without
 * a stack trace; tests match on `code` and `data`, never on message text.
 */
export class DvctsError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: C, message: string, ...[opts]: ErrorArgs<C>) {
    super(message, opts?.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'DvctsError';
    this.code = code;
    this.data = (opts?.data ?? {}) as Readonly<Record<string, unknown>>;
    this.hint = opts?.hint;
    this.exitCode = opts?.exitCode ?? ExitCode.failure;
  }

  /** The plain form that crosses a worker-thread boundary (structured clone keeps plain data only). */
  toPlain(): PlainError {
    return { code: this.code, message: this.message, data: this.data, exitCode: this.exitCode, ...(this.hint !== undefined ? { hint: this.hint } : {}) };
  }

  /** The error again, on this side of the boundary: code, data, hint and exit code intact. */
  static revive(plain: PlainError): DvctsError {
    const error = new DvctsError('E_INTERNAL', plain.message, { ...(plain.hint !== undefined ? { hint: plain.hint } : {}), exitCode: plain.exitCode });
    return Object.assign(error, { code: plain.code as ErrorCode, data: plain.data });
  }
}

export interface PlainError {
  readonly code: string;
  readonly message: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly hint?: string;
  readonly exitCode: number;
}

/** User input (pipeline YAML, pointer file, params) is invalid: carries every diagnostic found. */
export class DiagnosticsError extends DvctsError<'E_INVALID'> {
  readonly diagnostics: readonly Diagnostic[];
  /** Texts of the files the diagnostics point into, by project-relative path, for rendering. */
  readonly sources: ReadonlyMap<string, string>;

  constructor(diagnostics: readonly Diagnostic[], message = 'invalid input', sources: ReadonlyMap<string, string> = new Map()) {
    super('E_INVALID', message, { exitCode: ExitCode.usage, data: { count: diagnostics.length } });
    this.diagnostics = diagnostics;
    this.sources = sources;
  }
}

/**
 * The abort reason for a Ctrl-C / SIGTERM, and the error of an operation it stopped, saying what
 * was stopped (`what`) and what the user should know of the state it left.
 */
export function interruptedError(signal: string, what: string): DvctsError<'E_INTERRUPTED'> {
  return new DvctsError('E_INTERRUPTED', `interrupted by ${signal}${what ? ` ${what}` : ''}`, { data: { signal }, exitCode: ExitCode.interrupted });
}

/** The signal name behind an aborted signal (SIGINT, SIGTERM), or `abort` for a library caller's own abort. */
export function interruptionOf(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return isDvctsError(reason, 'E_INTERRUPTED') ? String(reason.data.signal) : 'abort';
}

/** Whether `e` is a DvctsError (with that code, when one is given). */
export function isDvctsError<C extends ErrorCode = ErrorCode>(e: unknown, code?: C): e is DvctsError<C> {
  return e instanceof DvctsError && (code === undefined || e.code === code);
}
