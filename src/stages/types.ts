/**
 * The subset of JSON Schema that built-in `with:` options use. One schema drives validation
 * (errors at the YAML line), `dvcts schema` (editor completion) and the README reference.
 */
export interface OptionSchema {
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minItems?: number;
  readonly items?: OptionSchema;
  readonly properties?: Readonly<Record<string, OptionSchema>>;
  readonly required?: readonly string[];
  /** Objects are closed (unknown keys are errors) unless this is given. */
  readonly additionalProperties?: boolean | OptionSchema;
  readonly anyOf?: readonly OptionSchema[];
}

/** A per-item memo (e.g. one sentence's round trip, one image's ops), keyed by item + config. */
export interface ItemCache {
  get(namespace: string, key: string): Promise<Buffer | undefined>;
  put(namespace: string, key: string, value: Buffer): Promise<void>;
  /** Stores a batch at once (one write for all of it): what a stage calls after each engine batch. */
  putMany(namespace: string, entries: ReadonlyArray<readonly [key: string, value: Buffer]>): Promise<void>;
}

export interface StageContext<O> {
  /** Absolute project root and stage working directory. */
  readonly root: string;
  readonly wdir: string;
  /** Absolute paths of the stage's deps and outs (outs include plots, not metrics), declared order. */
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  /**
   * Absolute paths of the stage's `metrics:` files. A built-in writes its JSON report (rows in,
   * rows out, what was dropped/added and why) to the first one ending in `.json`, if any.
   */
  readonly metrics: readonly string[];
  /** The validated `with:` options, defaults applied. */
  readonly options: O;
  /** One line of the stage's log (prefixed with `[stage]` by the reporter). */
  log(line: string): void;
  readonly itemCache: ItemCache;
  readonly signal: AbortSignal;
}

/** A static problem with a stage's options, found before anything runs. */
export interface OptionProblem {
  readonly code: string;
  /** Path inside `with:` that the problem is about ([] = the whole `with:`). */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

export interface BuiltinRunner<O> {
  /** Runs the stage; throws DvctsError (stable code, file/line/byte offset in data) on bad input. */
  run(ctx: StageContext<O>): Promise<void>;
}

/**
 * A built-in stage (`uses: NAME`). The definition is light (imported at CLI start-up for
 * validation); `load()` imports the heavy runner only when the stage actually runs.
 */
export interface BuiltinDefinition<O = Record<string, unknown>> {
  readonly name: string;
  /** Part of the stage fingerprint: bump it when the output for the same input changes. */
  readonly version: string;
  readonly description: string;
  /** type: object schema of `with:`. */
  readonly options: OptionSchema;
  /** Checks that need more than the schema (ratios sum to 1, deps/outs count, ...). */
  check?(
    options: O,
    stage: { deps: readonly string[]; outs: readonly string[]; metrics: readonly string[] },
  ): OptionProblem[];
  load(): Promise<BuiltinRunner<O>>;
}

