import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Problems of experiments, the experiment queue and sweeps (`dvcts exp`, `dvcts queue`). */
export const EXP_ERRORS = defineErrors('exp', {
  E_EXP_NAME_INVALID: {
    meaning: 'an experiment name is not one ref-safe word',
    hint: 'use letters, digits, `.`, `_` and `-` (at most 100, starting with a letter or digit)',
    data: { name: 'string' },
  },
  E_EXP_EXISTS: { meaning: 'an experiment (or queued experiment) of that name exists already', hint: 'choose another --name, or `dvcts exp remove NAME` first', data: { name: 'string' } },
  E_EXP_NOT_FOUND: { meaning: 'no experiment has that name', hint: '`dvcts exp show` lists the experiments', data: { name: 'string', known: 'string[]' } },
  E_EXP_NO_COMMIT: { meaning: 'experiments need a git repository with at least one commit (their baseline)', hint: 'commit the project first (git add -A && git commit)', data: { dir: 'string' } },
  E_EXP_SET_INVALID: { meaning: 'a `-S` argument is not `[FILE:]KEY=VALUE`', hint: 'e.g. -S train.lr=0.01 or -S params.yaml:train.hidden=[32,16]', data: { arg: 'string', reason: 'string' } },
  E_EXP_PARAM_UNKNOWN: {
    meaning: '`-S` names a key that the params file does not have',
    hint: 'check the spelling; prefix the key with + to add a new one (-S +train.new=1)',
    data: { file: 'string', key: 'string' },
  },
  E_EXP_PARAMS_FILE: { meaning: 'a params file that `-S` changes is missing or not valid YAML', hint: 'create or fix the file, or name another one (-S FILE:KEY=VALUE)', data: { file: 'string', reason: 'string' } },
  E_EXP_RECORD_INVALID: {
    meaning: 'a ref under refs/exps/ (or refs/exps-queue/) does not hold a dvcts experiment record',
    hint: 'it was not written by dvcts: delete it with `git update-ref -d REF`',
    data: { ref: 'string', reason: 'string' },
  },
  E_EXP_RUN_FAILED: { meaning: 'the experiment\'s pipeline run failed or was stopped, so nothing was recorded', hint: 'the log above (or `dvcts queue logs NAME`) shows the failing stage', data: { name: 'string' } },
  E_EXP_APPLY_CONFLICT: {
    meaning: '`exp apply` would overwrite workspace changes that neither HEAD nor any experiment records; nothing was changed',
    hint: 'commit or save those changes, or run `dvcts exp apply --force`',
    data: { paths: 'string[]' },
  },
  E_EXP_COLUMN_UNKNOWN: { meaning: '`--sort-by` names no param or metric column', hint: 'use a column name as `dvcts exp show` prints it (or FILE:KEY)', data: { column: 'string', columns: 'string[]' } },
  E_BRANCH_EXISTS: { meaning: 'a branch of that name exists already', hint: 'choose another branch name', data: { branch: 'string' } },
  E_BRANCH_INVALID: { meaning: 'not a valid git branch name', hint: 'see `git check-ref-format --branch`', data: { branch: 'string' } },
  E_QUEUE_NOT_RUNNING: { meaning: 'that queued experiment is not running', hint: '`dvcts queue status` shows what runs; `dvcts exp remove NAME` drops a queued one', data: { name: 'string', state: 'string' } },
  E_SWEEP_SPACE: {
    meaning: 'a sweep `-S` value is not a search space: choice(a,b,...), uniform(lo,hi), loguniform(lo,hi) or int(lo,hi)',
    hint: 'e.g. -S "train.lr=loguniform(1e-4,1e-2)" -S "train.batch_size=choice(32,64,128)"',
    data: { arg: 'string', reason: 'string' },
  },
  E_SWEEP_OPTION: { meaning: 'sweep options that do not fit together', hint: 'the message says which option to change', data: { option: 'string' } },
  E_SWEEP_OBJECTIVE: {
    meaning: 'a trial did not produce the objective (FILE:KEY), or it is not a number',
    hint: 'name a metrics file the pipeline writes and a numeric key in it (`dvcts metrics show` lists them)',
    data: { file: 'string', key: 'string', trial: 'string' },
  },
  E_OPTUNA_MISSING: {
    meaning: '`--sampler tpe` needs Python 3 with Optuna, which is not installed here',
    hint: 'install it: sudo apt-get install python3-optuna (or pip install optuna for the python3 that DVCTS_PYTHON names)',
    data: { python: 'string', reason: 'string' },
  },
  E_OPTUNA_BRIDGE: { meaning: 'the Optuna bridge process failed or answered something unexpected', hint: 'run again with DVCTS_DEBUG=1 to see its stderr', data: { reason: 'string' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof EXP_ERRORS> {}
}
