import { isAbsolute, join, relative, sep } from 'node:path';
import { DvctsError, ExitCode } from '../core/errors.js';

/**
 * Turns a path typed on the command line (relative to `cwd`, or absolute) into a project-relative
 * posix path; a path that leaves the project, or the project root itself, is E_PATH_OUTSIDE_PROJECT.
 */
export function projectPathOf(root: string, cwd: string, arg: string): string {
  const rel = relative(root, isAbsolute(arg) ? arg : join(cwd, arg)).split(sep).join('/');
  if (rel === '' || rel === '..' || rel.startsWith('../') || isAbsolute(rel)) {
    throw new DvctsError('E_PATH_OUTSIDE_PROJECT', `'${arg}' is not inside the project ${root}`, {
      data: { path: arg, root },
      hint: 'name a file or folder inside the project (the folder holding .dvcts/)',
      exitCode: ExitCode.usage,
    });
  }
  return rel;
}
