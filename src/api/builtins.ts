import { builtinRegistry, type BuiltinRegistry } from '../core/builtin.js';
import { backtranslateStage } from '../stages/backtranslate/definition.js';
import { dropnaStage } from '../stages/dropna/definition.js';
import { encodingStage } from '../stages/encoding/definition.js';
import { imageStage } from '../stages/image/definition.js';
import { splitStage } from '../stages/split/definition.js';
import { synonymsStage } from '../stages/synonyms/definition.js';
import { evaluateStage } from '../train/evaluate-stage/definition.js';
import { trainStage } from '../train/train-stage/definition.js';

/**
 * Every built-in stage, by `uses:` name: the one list to extend when adding a built-in. The
 * registry is handed down to the pipeline loader from here; nothing below api/ imports it.
 * Definitions are light; runners load lazily in worker threads.
 */
export const builtins: BuiltinRegistry = builtinRegistry([encodingStage, dropnaStage, splitStage, synonymsStage, backtranslateStage, imageStage, trainStage, evaluateStage]);

/** Options of every api function that reads the pipelines. */
export interface ProjectOptions {
  /** Where to look for the project (default: the current directory). */
  readonly cwd?: string;
  /** The built-ins `uses:` may name (default: `builtins`); a test or host program can add its own. */
  readonly builtins?: BuiltinRegistry;
}
