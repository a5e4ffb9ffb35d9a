import type { BuiltinDefinition } from './types.js';

/**
 * Every built-in stage, by `uses:` name. Definitions are light; runners load lazily.
 * Add a built-in by importing its definition here.
 */
const all: readonly BuiltinDefinition<any>[] = [];

export const builtins: ReadonlyMap<string, BuiltinDefinition<any>> = new Map(all.map((b) => [b.name, b]));
