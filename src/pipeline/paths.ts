import { posix } from 'node:path';
import { checkProjectPath, type PathRuleCode, type PathRuleOptions } from '../core/path-rule.js';

/**
 * Paths of the pipeline language: every path becomes project-relative posix, without "./" or a
 * trailing "/", must stay inside the project and, given `rule`, pass the project's path rule.
 */
export type PathResult =
  | { readonly ok: true; readonly path: string }
  | { readonly ok: false; readonly code: PathRuleCode; readonly message: string; readonly hint: string };

/** Joins `relative` (as written in YAML) onto the project-relative `base` folder. */
export function projectPath(base: string, relative: string, rule?: PathRuleOptions): PathResult {
  if (relative.trim() === '') {
    return { ok: false, code: 'E_PATH_EMPTY', message: 'empty path', hint: 'write a file or folder path' };
  }
  if (isAbsolute(relative)) {
    return {
      ok: false,
      code: 'E_PATH_OUTSIDE',
      message: `path "${relative}" is absolute; pipeline paths must stay inside the project`,
      hint: 'write it relative to the project root (or to the stage wdir)',
    };
  }
  // Most paths are already plain ("data/a.csv" from the root): nothing to join or normalise.
  const joined = base === '' && isPlainRelative(relative) ? relative : posix.normalize(posix.join(base, relative.replaceAll('\\', '/')));
  if (joined === '..' || joined.startsWith('../')) {
    return {
      ok: false,
      code: 'E_PATH_OUTSIDE',
      message: `path "${relative}" leaves the project${base ? ` (resolved from "${base}")` : ''}`,
      hint: 'move the data inside the project, or track it with `dvcts add` from a path inside it',
    };
  }
  const path = stripDot(joined);
  const problem = rule === undefined ? undefined : checkProjectPath(path, rule);
  if (problem !== undefined) return { ok: false, ...problem, message: `${problem.message}${relative === path ? '' : ` (written "${relative}")`}` };
  return { ok: true, path };
}

/** Relative posix text that posix.normalize leaves as it is: no "\\", no "//", no "." or ".." part, no "/" at either end. */
function isPlainRelative(p: string): boolean {
  return !p.includes('\\') && !p.includes('//') && !p.startsWith('/') && !p.endsWith('/') && !DOT_PART.test(p);
}

const DOT_PART = /(^|\/)\.\.?(\/|$)/;

/** `a/b/` -> `a/b`, `./a` -> `a`, `.` -> `` (the project root). */
function stripDot(p: string): string {
  const trimmed = p.replace(/\/+$/, '');
  return trimmed === '.' ? '' : trimmed.replace(/^\.\//, '');
}

function isAbsolute(p: string): boolean {
  return p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('~');
}

/** Folder that relative paths of a pipeline file start from: DVC's rule for dvc.yaml, else the root. */
export function baseDirOf(pipelineFile: string): string {
  return isDvcFile(pipelineFile) ? stripDot(posix.dirname(pipelineFile)) : '';
}

export function isDvcFile(pipelineFile: string): boolean {
  const name = posix.basename(pipelineFile);
  return name === 'dvc.yaml' || name === 'dvc.yml';
}

/** `pipelines/text.yaml` -> `pipelines/text.lock`; `sub/dvc.yaml` -> `sub/dvc.dvcts.lock` (never DVC's dvc.lock). */
export function lockFileOf(pipelineFile: string): string {
  if (isDvcFile(pipelineFile)) return posix.join(posix.dirname(pipelineFile), 'dvc.dvcts.lock');
  return pipelineFile.replace(/\.ya?ml$/, '') + '.lock';
}

/** A path relative to `from` (both project-relative), as a command running in `from` sees it. */
export function relativeTo(from: string, path: string): string {
  // From the root a project-relative path is already the answer (posix.relative resolves both
  // against the working directory: a cost per dep and out of 32k generated stages).
  if (from === '') return path || '.';
  return posix.relative(from, path || '.') || '.';
}

/** The pipeline files a lock file can belong to (the inverse of lockFileOf); [] for a file that is not a lock file. */
export function pipelineFilesOfLock(lockFile: string): string[] {
  if (posix.basename(lockFile) === 'dvc.dvcts.lock') {
    const dir = posix.dirname(lockFile);
    return ['dvc.yaml', 'dvc.yml'].map((name) => (dir === '.' ? name : `${dir}/${name}`));
  }
  return lockFile.endsWith('.lock') ? ['.yaml', '.yml'].map((ext) => lockFile.slice(0, -'.lock'.length) + ext) : [];
}
