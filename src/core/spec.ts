import type { SourceRange } from './diagnostics.js';

/**
 * The typed pipeline model: what the user wished for, after interpolation and foreach/matrix
 * expansion. All paths are project-relative posix paths (wdir already applied), normalised
 * (no "./", no trailing "/"). Every field keeps the source range of the YAML it came from.
 */

export type OutKind = 'out' | 'metric' | 'plot';

export interface DepSpec {
  readonly path: string;
  readonly range?: SourceRange;
}

/** DVC's display options of a `plots:` entry: they change how it is drawn, never what runs. */
export interface PlotOptions {
  readonly x?: string;
  readonly y?: string;
  readonly template?: string;
  readonly title?: string;
  readonly x_label?: string;
  readonly y_label?: string;
}

export interface OutSpec {
  readonly path: string;
  readonly kind: OutKind;
  /** false: not stored in the cache (DVC's `cache: false`), still tracked in the lock file. */
  readonly cache: boolean;
  /** true: not removed before the stage runs. */
  readonly persist: boolean;
  readonly desc?: string;
  /** `plots:` entries only. */
  readonly plot?: PlotOptions;
  readonly range?: SourceRange;
}

/** A tracked parameter: `key` is dotted (`train.lr`); `file` is project-relative (`params.yaml`). */
export interface ParamRef {
  readonly file: string;
  /** undefined means "every key of the file" (DVC's `- file.yaml:` with no keys). */
  readonly key?: string;
  readonly range?: SourceRange;
}

/** What the engine needs of a built-in after loading: no registry below api/ is consulted again. */
export interface BuiltinBinding {
  /** Part of the fingerprint and the lock entry. */
  readonly version: string;
  /** URL of the runner module (see BuiltinDefinition.runner). */
  readonly runner: string;
  /** See BuiltinDefinition.incrementalOutputs. */
  readonly incrementalOutputs?: boolean;
}

export interface StageSpec {
  /** Unique across the project: `pipelines/text.yaml:split`, `pipelines/a.yaml:train@lr1`. */
  readonly id: string;
  /** Name inside its pipeline file: `split`, `train@lr1`. */
  readonly name: string;
  /** For generated stages, the foreach/matrix group name (`train`). */
  readonly group?: string;
  /** Project-relative path of the pipeline file. */
  readonly file: string;
  /** Project-relative path of the lock file of that pipeline. */
  readonly lockFile: string;
  /** Working directory, project-relative ("" = project root). */
  readonly wdir: string;
  /** Shell command(s) (DVC allows a list; they run in order, stopping at the first failure). */
  readonly cmd?: readonly string[];
  /** Built-in stage name and its interpolated options. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, unknown>>;
  /** The built-in `uses` names, as bound by the loader from the registry it was given. */
  readonly builtin?: BuiltinBinding;
  readonly deps: readonly DepSpec[];
  readonly outs: readonly OutSpec[];
  readonly params: readonly ParamRef[];
  readonly desc?: string;
  /** The stage's `meta:`, as written (never interpolated; dvcts does not read it). */
  readonly meta?: unknown;
  readonly frozen: boolean;
  readonly alwaysChanged: boolean;
  /** Range of the stage's name (key) in the YAML. */
  readonly range?: SourceRange;
}

/** A whole project: every stage of every pipeline file, in file then declaration order. */
export interface ProjectSpec {
  readonly root: string; // absolute
  readonly files: readonly string[]; // project-relative pipeline files that were loaded
  readonly stages: readonly StageSpec[];
}
