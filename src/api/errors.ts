import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Problems of the commands: arguments, the project, its lock, `add`, `checkout`, pointer files, config. */
export const API_ERRORS = defineErrors('api', {
  E_USAGE: { meaning: 'command-line arguments that do not make sense together', hint: 'see `dvcts COMMAND --help`' },
  E_NOT_A_PROJECT: { meaning: 'no `.dvcts/` folder in the current directory or above', hint: 'run `dvcts init` in the project root first' },
  E_ALREADY_INIT: { meaning: '`dvcts init` in a folder that is already a project', hint: 'use --force to rewrite the default config' },
  E_CONFIG_INVALID: { meaning: '`.dvcts/config.yaml` is not valid', hint: 'fix the value the message names (see "Configuration" in the README)', data: { path: 'string?', file: 'string?', line: 'number?', col: 'number?', reason: 'string?' } },
  E_CONFIG_UNKNOWN_KEY: {
    meaning: 'a key in `.dvcts/config.yaml` or `config.local.yaml` that dvcts does not know (a typo would otherwise be ignored)',
    hint: 'fix its spelling; every key is listed under "Configuration" in the README',
    data: { path: 'string', line: 'number', col: 'number', key: 'string' },
  },
  E_LOCKED: { meaning: 'another dvcts process holds the project lock and --no-wait was given (exit code 3)', hint: 'wait for it, or run without --no-wait', data: { path: 'string', holder: 'json' } },
  E_PATH_OUTSIDE_PROJECT: { meaning: 'a path given to a command is outside the project (or inside node_modules/)', hint: 'name a file or folder inside the project', data: { path: 'string', root: 'string?' } },
  E_ADD_OVERLAP: { meaning: 'two paths given to one `add` contain each other', hint: 'add either the folder or the files in it', data: { path: 'string' } },
  E_ADD_POINTER: { meaning: '`add` was given a pointer file', hint: 'add the data it describes', data: { path: 'string' } },
  E_ADD_STAGE_OUTPUT: { meaning: '`add` was given a path that overlaps a stage output (lock files track those)', hint: 'run `dvcts repro`, or remove the output from the stage', data: { path: 'string', stage: 'string', out: 'string' } },
  E_ADD_INSIDE_TRACKED: { meaning: '`add` was given a path inside data that is already tracked', hint: 'add the tracked folder again to record its new version', data: { path: 'string', pointer: 'string' } },
  E_ADD_OVERLAPS_TRACKED: { meaning: '`add` was given a folder that contains tracked data', hint: 'remove the inner pointer files first, then add the whole folder', data: { path: 'string', pointer: 'string' } },
  E_POINTER_INVALID: { meaning: 'a pointer file (*.dvcts) is not what dvcts writes', hint: 'restore it from git, or `dvcts add` its data again', data: { file: 'string', line: 'number?', col: 'number?', reason: 'string?' } },
  E_RECORD_UNREADABLE: { meaning: 'a pointer or lock file cannot be read; it is skipped and the rest processed', hint: 'check the mode of the file and of its folder (ls -l)' },
  E_RECORD_CONFLICT: {
    meaning: 'two records name one path, or a path inside another\'s data (a pointer file in a tracked folder); both are skipped, since acting on either would flip the data',
    hint: 'keep one record of each path: remove the other pointer file (or stage output) and commit',
  },
  E_LOCK_UNKNOWN_STAGE: { meaning: 'a lock file records a stage that its pipeline (at the same revision) does not define; the entry is skipped', hint: 'run `dvcts repro` to rewrite the lock file, or restore it from git' },
  E_OUT_TRACKED: { meaning: 'a stage output is, holds or lies inside data tracked with `dvcts add`: repro would delete that data', hint: 'choose another output path, or stop tracking the data with add if the stage produces it now' },
  E_GC_SHARED_CACHE: { meaning: 'the cache is reached through a symbolic link (shared by other projects, whose references gc cannot see)', hint: 'run gc with --force to collect it anyway', data: { path: 'string' } },
  E_TARGET_NOT_TRACKED: { meaning: 'a checkout target is no tracked path, pointer file or stage output', hint: 'name a *.dvcts file, an added path, or a stage with recorded outputs', data: { target: 'string', where: 'string' } },
  E_CHECKOUT_CONFLICT: {
    meaning: 'checkout would overwrite workspace data that no pointer or lock file records; it was saved to the cache and nothing was changed',
    hint: 'record it (dvcts add / dvcts repro), or checkout --force to replace it (the message says how to get it back)',
    data: { paths: 'json' },
  },
  E_METRICS_INVALID: { meaning: 'a metrics or plots file is not valid JSON/YAML (or its aliases expand too far)', hint: 'fix the stage that writes it, then run it again', data: { file: 'string', line: 'number?', col: 'number?', reason: 'string?' } },
  E_PLOT_TEMPLATE: { meaning: 'a `plots:` entry names a template dvcts does not draw', hint: 'use linear, simple, scatter, smooth, bar_horizontal, confusion or confusion_normalized', data: { path: 'string', template: 'string' } },
  E_PLOT_FIELD: { meaning: 'a `plots:` entry\'s x or y names a field the plots file does not have', hint: 'fix x/y in the plots: options of the stage', data: { path: 'string', field: 'string', columns: 'string[]' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof API_ERRORS> {}
}
