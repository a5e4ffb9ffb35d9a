/** A phase of a long cache operation, as progress shows it. */
export type CachePhase = 'hashing' | 'storing' | 'checking out' | 'verifying' | 'removing';

/**
 * What a long cache operation (add, checkout, a status over a big new folder) reports and
 * obeys, file by file. Every object and every workspace file is written atomically, so stopping
 * between files leaves nothing half-written.
 */
export interface CacheActivity {
  /** Checked before each file: once aborted, no further file is started. */
  readonly signal?: AbortSignal;
  /**
   * A phase begins for `path` (project-relative; '' for the whole cache): `files` and `bytes` to
   * go, each undefined when not known beforehand (a folder stored as it is walked).
   */
  planned?(phase: CachePhase, path: string, files: number | undefined, bytes: number | undefined): void;
  /** One file of the phase is done. */
  done?(phase: CachePhase, path: string, bytes: number): void;
  /** The phase is over (needed when its number of files was not known). */
  ended?(phase: CachePhase, path: string): void;
}

/**
 * Counts one phase's files against an activity. `step` is called per file from synchronous
 * loops (1M files): a signal check and a callback, nothing else.
 */
export class PhaseMeter {
  constructor(
    private readonly activity: CacheActivity | undefined,
    private readonly phase: CachePhase,
    private readonly path: string,
    files: number | undefined,
    bytes?: number,
  ) {
    if (files !== 0) activity?.planned?.(phase, path, files, bytes);
  }

  /** Before a file: stops (E_INTERRUPTED from the caller's abort reason) once the signal fired. */
  check(): void {
    this.activity?.signal?.throwIfAborted();
  }

  /** A file is done. */
  step(bytes: number): void {
    this.activity?.done?.(this.phase, this.path, bytes);
  }

  end(): void {
    this.activity?.ended?.(this.phase, this.path);
  }
}
