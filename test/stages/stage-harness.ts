import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRunner, type BuiltinDefinition, type StageContext } from '../../src/core/builtin.js';

/** A temp project folder for one test; `cleanup()` removes it. */
export async function tempProject(): Promise<{ root: string; path: (p: string) => string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'dvcts-stage-'));
  return { root, path: (p) => join(root, p), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/** Applies schema defaults the way the pipeline loader does (top-level properties only). */
export function withDefaults<O>(def: BuiltinDefinition<O>, options: Record<string, unknown>): O {
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(def.options.properties ?? {})) {
    if (schema.default !== undefined) out[key] = schema.default;
  }
  return { ...out, ...options } as O;
}

/** Runs a built-in the way the engine does: options defaulted, runner loaded lazily. */
export async function runStage<O>(
  def: BuiltinDefinition<O>,
  root: string,
  io: { deps: string[]; outs: string[]; metrics?: string[] },
  options: Record<string, unknown> = {},
): Promise<{ log: string[] }> {
  const log: string[] = [];
  const metrics = io.metrics ?? [];
  const ctx: StageContext<O> = {
    root,
    wdir: root,
    deps: io.deps,
    outs: io.outs,
    metrics,
    options: withDefaults(def, options),
    log: (line) => log.push(line),
    itemCache: { get: async () => undefined, put: async () => {}, putMany: async () => {}, putObject: async () => '', copyObject: async () => false },
    progress: () => {},
    signal: new AbortController().signal,
  };
  const runner = await loadRunner<O>(def.runner);
  await runner.run(ctx);
  return { log };
}

/** Runs and returns the error it throws (fails the test if it does not throw). */
export async function runStageError<O>(...args: Parameters<typeof runStage<O>>): Promise<{ code: string; data: Record<string, unknown>; message: string }> {
  try {
    await runStage(...args);
  } catch (e) {
    return e as { code: string; data: Record<string, unknown>; message: string };
  }
  throw new Error('expected the stage to fail');
}

export async function writeText(path: string, text: string | Buffer): Promise<void> {
  await writeFile(path, text);
}
