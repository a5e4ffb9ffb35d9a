import { lstat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import { DvctsError } from '../core/errors.js';
import { checkProjectPath, type PathUse } from '../core/path-rule.js';

/**
 * The last check before dvcts deletes, writes or reads tracked data at a path (defence in depth:
 * validation already applied the rule to every path from pipeline, lock and pointer files).
 * The path must pass the project's path rule, and no folder between the project root and it may
 * be a symbolic link: a committed link `lnk -> /elsewhere` would otherwise carry a write to
 * `lnk/x` out of the project, or into `.git/` or `.dvcts/`. Walking the folders with lstat is
 * the realpath check done one step at a time, so the error can name the link. A folder that does
 * not exist yet is fine (dvcts creates it as a real folder).
 */
export async function confinedPath(root: string, rel: string, use: PathUse): Promise<string> {
  const problem = checkProjectPath(rel, { use });
  if (problem !== undefined) throw new DvctsError(problem.code, problem.message, { data: { path: rel }, hint: problem.hint });
  const parts = rel.split('/');
  for (let depth = 1; depth < parts.length; depth++) {
    const folder = parts.slice(0, depth).join('/');
    const info = await lstat(join(root, folder)).catch(() => undefined);
    if (info === undefined || !info.isDirectory()) {
      if (info?.isSymbolicLink()) throw symlinkedParentError(rel, folder);
      break; // missing (created later as a real folder) or a file (the write fails on its own)
    }
  }
  return join(root, rel);
}

/** confinedPath for an absolute path (the cache works with absolute paths). */
export async function confineAbsolute(root: string, absPath: string, use: PathUse): Promise<string> {
  const rel = relative(root, absPath);
  const outside = rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  return confinedPath(root, outside ? absPath : rel.split(sep).join('/'), use);
}

function symlinkedParentError(path: string, link: string): DvctsError {
  return new DvctsError('E_PATH_SYMLINK', `path "${path}" goes through the symbolic link "${link}"; dvcts never writes or reads tracked data through a link`, {
    data: { path, link },
    hint: `replace the link "${link}" with a real folder, or track the data at the place the link points to`,
  });
}
