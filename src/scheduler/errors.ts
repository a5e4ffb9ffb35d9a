import { defineErrors, type CodesOf } from '../core/error-catalogue.js';

/** Why a stage failed while running. */
export const SCHEDULER_ERRORS = defineErrors('scheduler', {
  E_DEP_MISSING: { meaning: 'a dependency of a stage does not exist (before anything runs when no stage produces it, at file:line:col)', hint: 'create it, track it with `dvcts add`, or add the stage that produces it', data: { path: 'string', range: 'range?' } },
  E_OUT_NOT_CREATED: { meaning: 'a stage finished without creating one of its outputs', hint: 'make the command write that path, or remove it from outs', data: { path: 'string', range: 'range?' } },
  E_MISSING_DATA: {
    meaning: 'an output of a frozen stage is missing and the cache does not hold the recorded version (a frozen stage is never run)',
    hint: 'put the data back (or its object into the cache), or set `frozen: false`',
    data: { path: 'string', range: 'range?' },
  },
  E_STAGE_FAILED: {
    meaning: 'a stage\'s command exited with a non-zero code or was killed by a signal (its last lines are shown)',
    hint: 'read the last lines of the stage\'s log shown with the failure; fix the command or its input',
    data: { command: 'string', exitCode: 'number?', signal: 'string?' },
  },
  E_STAGE_SPAWN: { meaning: 'the shell for a stage\'s command could not be started', hint: 'check that /bin/sh exists and the working directory is readable', data: { command: 'string' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof SCHEDULER_ERRORS> {}
}
