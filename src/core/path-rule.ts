/**
 * The one rule for every path that comes from a pipeline, lock or pointer file (all of them may
 * come from someone else's git branch). A path passes when it is relative, normalised posix
 * (no "", ".", ".." parts, no "\" or NUL), not the project root, not inside or equal to `.git`
 * or `.dvcts` (at any depth: a nested repository or project too), and — for paths dvcts writes
 * or deletes — not the `pipelines` folder or inside it, not named like a pointer or lock file,
 * and not an ancestor of a file that must survive (pipeline and lock files of the project).
 * Pure string logic; the file system check (no symlinked parent folders) is util/confined-path.ts.
 */

export type PathRuleCode = 'E_PATH_EMPTY' | 'E_PATH_OUTSIDE' | 'E_PATH_INVALID' | 'E_PATH_RESERVED';

export interface PathProblem {
  readonly code: PathRuleCode;
  readonly message: string;
  readonly hint: string;
}

/**
 * `read`: deps, params (dvcts only hashes them). `write`: outputs and tracked data, which dvcts
 * deletes and replaces. `wdir`: a stage's working folder, which may be the root itself.
 */
export type PathUse = 'read' | 'write' | 'wdir';

export interface PathRuleOptions {
  readonly use: PathUse;
  /** Project-relative files a written path may not equal or contain (pipeline and lock files). */
  readonly protect?: readonly string[];
}

/** Folders that are never data, at any depth (compared case-insensitively: some file systems are). */
const NEVER_DATA = new Set(['.git', '.dvcts']);
/** The folder whose *.yaml / *.lock files are the project's pipelines: nothing else is written there. */
export const PIPELINES_DIR = 'pipelines';
export const POINTER_SUFFIX = '.dvcts';
export const DVC_LOCK_NAME = 'dvc.dvcts.lock';

/** Pointer files (`x.dvcts`) and lock files (`pipelines/*.lock`, `dvc.dvcts.lock`): what checkout reads. */
export function isMetadataFile(path: string): boolean {
  const slash = path.lastIndexOf('/');
  const name = path.slice(slash + 1);
  if (name.endsWith(POINTER_SUFFIX) && name !== POINTER_SUFFIX) return true;
  if (name === DVC_LOCK_NAME) return true;
  return path.slice(0, Math.max(slash, 0)) === PIPELINES_DIR && name.endsWith('.lock');
}

/** true when `inner` equals `outer` or lies inside it (`data` contains `data/a.csv`, not `database`). */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === '' || inner.startsWith(`${outer}/`);
}

/** The problem with `path` (project-relative, as recorded or already resolved), or undefined when it passes. */
export function checkProjectPath(path: string, opts: PathRuleOptions): PathProblem | undefined {
  if (path === '' || path === '.') return opts.use === 'wdir' ? undefined : reserved(path, 'is the project root itself', opts.use);
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) {
    return { code: 'E_PATH_OUTSIDE', message: `path "${path}" is absolute; recorded paths must stay inside the project`, hint: 'write it relative to the project root' };
  }
  const parts = path.split('/');
  if (parts.includes('..')) {
    return { code: 'E_PATH_OUTSIDE', message: `path "${path}" leaves the project`, hint: 'move the data inside the project' };
  }
  if (path.includes('\\') || path.includes('\0') || parts.some((p) => p === '' || p === '.')) {
    return { code: 'E_PATH_INVALID', message: `path "${JSON.stringify(path).slice(1, -1)}" is not a normalised relative path`, hint: 'use "/" between folder names, without "." or empty parts' };
  }
  const never = parts.find((p) => NEVER_DATA.has(p.toLowerCase()));
  if (never !== undefined) return reserved(path, `is inside ${never}/, which belongs to ${never === '.git' ? 'git' : 'dvcts'}`, opts.use);
  if (opts.use !== 'write') return undefined;
  if (parts[0] === PIPELINES_DIR) return reserved(path, `is inside ${PIPELINES_DIR}/, which holds the pipeline and lock files`, 'write');
  if (isMetadataFile(path)) return reserved(path, 'has the name of a pointer or lock file', 'write');
  const holds = opts.protect?.find((file) => isWithin(file, path));
  if (holds !== undefined) return reserved(path, `holds ${holds}`, 'write');
  return undefined;
}

function reserved(path: string, why: string, use: PathUse): PathProblem {
  const consequence = use === 'write' ? 'dvcts deletes and replaces outputs and tracked data, so it can be neither' : 'it is not project data';
  return {
    code: 'E_PATH_RESERVED',
    message: `path "${path || '.'}" ${why}: ${consequence}`,
    hint: 'name a file or folder of data inside the project, e.g. data/out.csv',
  };
}
