import * as fs from 'node:fs';
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { notGitError } from './errors.js';

/**
 * A git repository as isomorphic-git wants it. dvcts never runs the git binary: everything it
 * reads at a revision goes through isomorphic-git with these arguments.
 */
export interface GitRepo {
  /** The work tree root (the folder that holds `.git`). */
  readonly dir: string;
  /**
   * The git directory that holds objects and refs: `.git`, where a submodule's `.git` file points,
   * or a linked worktree's common directory (isomorphic-git does not follow `commondir` itself).
   */
  readonly gitdir: string;
  /** Where this work tree's own HEAD lives (a linked worktree's private git dir; else `gitdir`). */
  readonly headGitdir: string;
  readonly fs: typeof fs;
  /** Shared isomorphic-git object cache: packfiles are parsed once per command, not per read. */
  readonly cache: object;
}

/** The repository whose work tree contains `startDir`, or undefined outside git. */
export function findGitRepo(startDir: string): GitRepo | undefined {
  let current = resolve(startDir);
  for (;;) {
    const dirs = gitDirsAt(current);
    if (dirs !== undefined) return { dir: current, ...dirs, fs, cache: {} };
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

/** Like findGitRepo, but a missing repository is E_NOT_GIT naming what needed it. */
export function requireGitRepo(startDir: string, why: string): GitRepo {
  const repo = findGitRepo(startDir);
  if (repo === undefined) throw notGitError(resolve(startDir), why);
  return repo;
}

/** Posix path of `absPath` relative to the work tree ("" for the root itself). */
export function repoRelative(repo: GitRepo, absPath: string): string {
  const rel = relative(repo.dir, absPath);
  if (rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${absPath} is outside the git work tree ${repo.dir}`);
  return rel.split(sep).join('/');
}

function gitDirsAt(dir: string): { gitdir: string; headGitdir: string } | undefined {
  const dotGit = join(dir, '.git');
  let stats;
  try {
    stats = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stats.isDirectory()) return { gitdir: dotGit, headGitdir: dotGit };
  // Worktrees and submodules: `.git` is a file holding "gitdir: <path>".
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
  if (match?.[1] === undefined) return undefined;
  const own = resolve(dir, match[1]);
  // A linked worktree's git dir names the shared one in `commondir`; a submodule's has none.
  let common: string;
  try {
    common = resolve(own, readFileSync(join(own, 'commondir'), 'utf8').trim());
  } catch {
    return { gitdir: own, headGitdir: own };
  }
  return { gitdir: common, headGitdir: own };
}
