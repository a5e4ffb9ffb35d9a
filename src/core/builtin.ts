import type { ErrorCode, ErrorTable } from './error-catalogue.js';
import { hash32 } from './prng.js';

/**
 * The subset of JSON Schema that built-in `with:` options use. One schema drives validation
 * (errors at the YAML line), `dvcts schema` (editor completion) and the README reference.
 */
export interface OptionSchema {
  readonly type?: 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object';
  readonly description?: string;
  readonly enum?: readonly unknown[];
  readonly default?: unknown;
  /** Suggested values (editor completion) when any value passing `check()` is accepted. */
  readonly examples?: readonly unknown[];
  readonly minimum?: number;
  readonly maximum?: number;
  readonly exclusiveMinimum?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  /** Objects: how many keys (e.g. exactly one, for a list of `- name: {...}` items). */
  readonly minProperties?: number;
  readonly maxProperties?: number;
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
  /**
   * Stores a result too big for the memo (an image) in the project's content store and returns
   * its content id; the memo entry then holds the id. `dvcts gc` removes objects that no lock or
   * pointer file references, so `copyObject` may find one gone: the stage then recomputes it.
   */
  putObject(bytes: Uint8Array): Promise<string>;
  /** Writes object `id` to `dest` as a writable file (reflink where possible); false when it is gone. */
  copyObject(id: string, dest: string): Promise<boolean>;
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
  /**
   * How far the stage is: `done` of `total` `unit`s (e.g. 120 of 2000 images); `total` 0 when it
   * is not known (rows of a streamed table): a count is shown. Call it as often as you like (the
   * engine throttles); the reporter shows a bar on a TTY, periodic lines otherwise.
   */
  progress(done: number, total: number, unit: string): void;
  readonly itemCache: ItemCache;
  readonly signal: AbortSignal;
  /**
   * Set only for a built-in whose options include `shards` (SHARDS_OPTION), on a queue executor:
   * this run is one part of the stage's items (`inShard`). It fills the per-item cache for those
   * items and writes no output; the stage then runs once more, unsharded, and finds every item
   * in the cache, so its outputs are those of a local run.
   */
  readonly shard?: Shard;
}

/** One of `count` parts of a shardable stage's items. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/**
 * Whether the item with this identity (a source path, a sentence) belongs to `shard`. By a hash
 * of the identity, not by position, so adding items does not move the others between parts.
 */
export function inShard(shard: Shard, identity: string): boolean {
  return hash32(identity) % shard.count === shard.index;
}

/**
 * The `shards` option of a per-item built-in: on a queue executor, the stage's items are first
 * processed in this many shard jobs (`auto`: one per connected worker). A local run ignores it.
 */
export const SHARDS_OPTION: OptionSchema = {
  anyOf: [
    { type: 'integer', minimum: 1 },
    { type: 'string', enum: ['auto'] },
  ],
  description:
    'With `repro --executor queue`: process the items in this many shard jobs first (`auto`: one per connected worker), ' +
    'then run the stage once over the filled per-item cache. Outputs do not depend on it; a local run ignores it.',
};

/** A static problem with a stage's options, found before anything runs. */
export interface OptionProblem {
  /** Declared in the built-in's `errors.ts` (or a shared layer's): shown as the diagnostic's code. */
  readonly code: ErrorCode;
  /** Path inside `with:` that the problem is about ([] = the whole `with:`). */
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

/** What a built-in's runner module exports. */
export interface BuiltinRunner<O> {
  /** Runs the stage; throws DvctsError (stable code, file/line/byte offset in data) on bad input. */
  run(ctx: StageContext<O>): Promise<void>;
}

/**
 * A built-in stage (`uses: NAME`): the plug-in contract. The definition is light (imported at CLI
 * start-up for validation); the heavy runner module is imported only when the stage runs, by
 * its URL, in a worker thread that needs no registry of its own.
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
  /** The codes the built-in raises, declared in its own `errors.ts` (listed in the README). */
  readonly errors?: ErrorTable;
  /**
   * true: the built-in rebuilds its data outputs itself, atomically and exactly as a fresh run
   * would write them, so the engine leaves the previous ones in place when it runs: a per-item
   * built-in can then keep the files that did not change instead of writing them again.
   */
  readonly incrementalOutputs?: boolean;
  /**
   * URL of the module whose exports are a BuiltinRunner (`run`), usually
   * `new URL('./run.js', import.meta.url).href`. A string: it crosses the worker-thread boundary.
   */
  readonly runner: string;
}

/** The built-ins a project may `uses:`, by name. Made once in api/ and handed down. */
export type BuiltinRegistry = ReadonlyMap<string, BuiltinDefinition<any>>;

/** A registry from a list of definitions; two built-ins with one name is a programming error. */
export function builtinRegistry(definitions: readonly BuiltinDefinition<any>[]): BuiltinRegistry {
  const byName = new Map<string, BuiltinDefinition<any>>();
  for (const d of definitions) {
    if (byName.has(d.name)) throw new Error(`two built-ins are named "${d.name}"`);
    byName.set(d.name, d);
  }
  return byName;
}

/** Imports a built-in's runner module (in the worker thread, or in-process in tests). */
export async function loadRunner<O>(runner: string): Promise<BuiltinRunner<O>> {
  return (await import(runner)) as BuiltinRunner<O>;
}

