import { DvctsError, ExitCode } from '../core/errors.js';

/** Failures of the git layer, with stable codes (tests and callers match on `code`). */
export const ScmErrorCode = {
  notGit: 'E_NOT_GIT',
  revNotFound: 'E_REV_NOT_FOUND',
  hookForeign: 'E_HOOK_FOREIGN',
} as const;

export function notGitError(dir: string, why: string): DvctsError {
  return new DvctsError(ScmErrorCode.notGit, `${dir} is not inside a git repository, which ${why} needs`, {
    data: { dir },
    hint: 'run `git init` (and commit the pointer and lock files) first, or leave out the git option',
    exitCode: ExitCode.usage,
  });
}

export function revNotFoundError(rev: string, gitRoot: string, cause?: unknown): DvctsError {
  return new DvctsError(ScmErrorCode.revNotFound, `git revision '${rev}' does not exist in ${gitRoot}`, {
    data: { rev, gitRoot },
    hint: 'use a branch, a tag, a commit id (full or abbreviated), optionally with ~N or ^; `git log --oneline` lists commits',
    exitCode: ExitCode.usage,
    cause,
  });
}
