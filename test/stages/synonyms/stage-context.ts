import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { itemCacheDirsOf, openItemCache } from '../../../src/cache/item-cache.js';
import type { StageContext } from '../../../src/core/builtin.js';

/** A built-in's StageContext over a fresh temp project; paths given relative to it. */
export interface TestProject {
  readonly root: string;
  readonly logs: string[];
  path(relative: string): string;
  context<O>(options: O, files: { deps: string[]; outs: string[]; metrics?: string[] }): StageContext<O>;
  remove(): Promise<void>;
}

export const FIXTURES = resolve(import.meta.dirname, '../../fixtures');

export async function testProject(): Promise<TestProject> {
  const root = await mkdtemp(join(tmpdir(), 'dvcts-augment-'));
  const logs: string[] = [];
  const itemCache = openItemCache(itemCacheDirsOf(join(root, '.dvcts', 'cache')));
  const path = (relative: string): string => join(root, relative);
  return {
    root,
    logs,
    path,
    context: (options, files) => {
      const metrics = (files.metrics ?? []).map(path);
      return {
        root,
        wdir: root,
        deps: files.deps.map(path),
        outs: files.outs.map(path),
        metrics,
        options,
        log: (line) => logs.push(line),
        itemCache,
        progress: () => {},
        signal: new AbortController().signal,
      };
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** Options as the pipeline loader hands them over: the schema's defaults, then `given`. */
export function withDefaults<O>(
  schema: { readonly properties?: Readonly<Record<string, { readonly default?: unknown }>> },
  given: Partial<O>,
): O {
  const options: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if (property.default !== undefined) options[name] = property.default;
  }
  return { ...options, ...given } as O;
}
