import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/**
 * Problems in pipeline files, params and vars. Most are diagnostics: collected all at once and
 * shown at `file:line:col` with the source line underlined (exit code 2, nothing runs).
 */
export const PIPELINE_ERRORS = defineErrors('pipeline', {
  E_YAML: { meaning: 'a pipeline, params or vars file is not valid YAML: a syntax error, bytes that are not UTF-8, or aliases that expand too far or refer to themselves', hint: 'fix the YAML at the position shown' },
  E_DUPLICATE_KEY: { meaning: 'a key appears twice in one mapping', hint: 'rename or remove one of the two' },
  E_DUPLICATE_STAGE: { meaning: 'two stages of one pipeline file have the same name (also after foreach/matrix expansion)', hint: 'rename one of them' },
  E_FILE_NOT_FOUND: { meaning: 'a pipeline file named on the command line does not exist', hint: 'check the path (relative to the project root)' },
  E_TYPE: { meaning: 'a field has the wrong type (a mapping where a list belongs, ...)', hint: 'see the field table in the README' },
  E_STAGE_NAME: { meaning: 'a stage name is empty or contains ":", "/", "\\", "@" or a control character (a line break, ...)', hint: 'rename the stage' },
  E_CMD_INVALID: { meaning: 'a command holds a control character other than a tab or a line break', hint: 'remove it: a shell command holds text, tabs and line breaks only' },
  E_UNKNOWN_KEY: { meaning: 'a key that pipeline files do not have', hint: 'the message suggests the closest known key' },
  E_FOREACH: { meaning: 'a foreach/matrix stage is malformed (no `do`, both foreach and matrix, nested generation, ...)', hint: 'see "foreach + do" and "matrix" in the README' },
  E_CMD_USES: { meaning: 'a stage has both or neither of `cmd` and `uses`', hint: 'keep exactly one: `cmd` runs a shell command, `uses` a built-in' },
  E_WITH_WITHOUT_USES: { meaning: '`with:` on a stage that has no `uses:`', hint: 'pass options to a `cmd` on its command line' },
  E_UNKNOWN_BUILTIN: { meaning: '`uses:` names no registered built-in', hint: 'the message lists the built-ins there are' },
  E_DUPLICATE_OUT: { meaning: 'one path is listed twice among a stage\'s outs, metrics and plots', hint: 'list each output once' },
  E_VARS_FILE: { meaning: 'a vars file does not exist or is not YAML/JSON', hint: 'fix the path (relative to the project root, or to the folder of a dvc.yaml)' },
  E_VARS_REDEFINED: { meaning: 'a vars or params value is defined twice (like DVC, vars never override)', hint: 'remove or rename one of them, or load only other keys (`file.yaml:key1,key2`)' },
  E_VARS_KEY: { meaning: 'a key picked from a vars file is not in it', hint: 'fix the key, or add it to the file' },
  E_INTERP_SYNTAX: { meaning: 'a `${...}` interpolation is malformed', hint: 'write ${a.b[0]}; `\\${` is a literal "${"' },
  E_INTERP_MISSING: { meaning: 'a `${...}` interpolation names a value that no params or vars file has', hint: 'add the key to params.yaml or to `vars`' },
  E_INTERP_TYPE: { meaning: 'a list or mapping is interpolated into a longer string', hint: 'use it as the whole value, or pick one element' },
  E_PARAMS_FILE: { meaning: 'a params file is not YAML or JSON', hint: 'dvcts reads params from .yaml, .yml and .json files' },
  E_PARAM_KEY: { meaning: 'a tracked param is not a valid dotted key', hint: 'write a key such as train.lr or a[0].b' },
  E_PARAMS_INVALID: { meaning: 'a params file cannot be parsed', hint: 'fix its syntax (`dvcts status` shows the position)', data: { file: 'string', line: 'number?', col: 'number?', reason: 'string?' } },
  W_IGNORED_KEY: { meaning: 'warning: a DVC key that dvcts reads but ignores', hint: 'the message says why it has no effect here' },
  E_OPTION_UNKNOWN: { meaning: 'a built-in\'s `with:` has an option it does not know', hint: 'the message suggests the closest option; `dvcts schema` lists them all' },
  E_OPTION_MISSING: { meaning: 'a built-in\'s required option is missing from `with:`', hint: 'add it (see the built-in\'s option table in the README)' },
  E_OPTION_TYPE: { meaning: 'a built-in option has the wrong type', hint: 'see the built-in\'s option table in the README' },
  E_OPTION_VALUE: { meaning: 'a built-in option has a value out of its range or not among its choices', hint: 'the message lists what is allowed' },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof PIPELINE_ERRORS> {}
}
