import { backtranslateStage } from './backtranslate/definition.js';
import { dropnaStage } from './dropna/definition.js';
import { encodingStage } from './encoding/definition.js';
import { splitStage } from './split/definition.js';
import { synonymsStage } from './synonyms/definition.js';
import type { BuiltinDefinition } from './types.js';

/**
 * Every built-in stage, by `uses:` name. Definitions are light; runners load lazily.
 * Add a built-in by importing its definition here.
 */
const all: readonly BuiltinDefinition<any>[] = [encodingStage, dropnaStage, splitStage, synonymsStage, backtranslateStage];

export const builtins: ReadonlyMap<string, BuiltinDefinition<any>> = new Map(all.map((b) => [b.name, b]));
