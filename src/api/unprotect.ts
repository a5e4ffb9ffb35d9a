import { join } from 'node:path';
import { unprotect as unprotectPath } from '../cache/index.js';
import { confinedPath } from '../util/confined-path.js';
import { findProjectRoot } from './project.js';
import { projectPathOf } from './project-path.js';

/**
 * `dvcts unprotect PATH...`: makes linked workspace files editable. Hard links and symlinks into
 * the cache share bytes with the cache object, so editing them in place would corrupt the cache;
 * they are replaced by private writable copies. The cache is not touched.
 */
export async function unprotect(opts: { cwd?: string; paths: readonly string[] }): Promise<string[]> {
  const cwd = opts.cwd ?? process.cwd();
  const root = findProjectRoot(cwd);
  const paths = opts.paths.map((arg) => projectPathOf(root, cwd, arg));
  // Every path is checked before any file is replaced: not .dvcts/ (the objects themselves), nothing through a link.
  for (const path of paths) await confinedPath(root, path, 'write');
  for (const path of paths) await unprotectPath(join(root, path));
  return paths;
}
