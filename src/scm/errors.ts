import { defineErrors, type CodesOf } from '../core/error-catalogue.js';
import { DvctsError, ExitCode } from '../core/errors.js';

/** Failures of the git layer, with stable codes (tests and callers match on `code`). */
export const SCM_ERRORS = defineErrors('scm', {
  E_NOT_GIT: { meaning: 'a command that needs git runs outside a git repository', hint: 'run `git init` (and commit the pointer and lock files) first', data: { dir: 'string' } },
  E_REV_NOT_FOUND: { meaning: 'a git revision does not exist', hint: 'use a branch, a tag or a commit id, optionally with ~N or ^', data: { rev: 'string', gitRoot: 'string' } },
  E_HOOK_FOREIGN: { meaning: 'a git hook is not a shell script, so dvcts cannot append to it', hint: 'call `dvcts checkout` from that hook yourself', data: { path: 'string', shebang: 'string' } },
});

declare module '../core/error-catalogue.js' {
  interface ErrorCatalogue extends CodesOf<typeof SCM_ERRORS> {}
}

export function notGitError(dir: string, why: string): DvctsError {
  return new DvctsError('E_NOT_GIT', `${dir} is not inside a git repository, which ${why} needs`, {
    data: { dir },
    hint: 'run `git init` (and commit the pointer and lock files) first, or leave out the git option',
    exitCode: ExitCode.usage,
  });
}

export function revNotFoundError(rev: string, gitRoot: string, cause?: unknown): DvctsError {
  return new DvctsError('E_REV_NOT_FOUND', `git revision '${rev}' does not exist in ${gitRoot}`, {
    data: { rev, gitRoot },
    hint: 'use a branch, a tag, a commit id (full or abbreviated), optionally with ~N or ^; `git log --oneline` lists commits',
    exitCode: ExitCode.usage,
    cause,
  });
}
