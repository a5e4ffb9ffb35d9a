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
  /** The git directory (`.git`, or where a `.git` file of a worktree/submodule points). */
  readonly gitdir: string;
  readonly fs: typeof fs;
  /** Shared isomorphic-git object cache: packfiles are parsed once per command, not per read. */
  readonly cache: object;
}

/** The repository whose work tree contains `startDir`, or undefined outside git. */
export function findGitRepo(startDir: string): GitRepo | undefined {
  let current = resolve(startDir);
  for (;;) {
    const gitdir = gitDirAt(current);
    if (gitdir !== undefined) return { dir: current, gitdir, fs, cache: {} };
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

function gitDirAt(dir: string): string | undefined {
  const dotGit = join(dir, '.git');
  let stats;
  try {
    stats = statSync(dotGit);
  } catch {
    return undefined;
  }
  if (stats.isDirectory()) return dotGit;
  // Worktrees and submodules: `.git` is a file holding "gitdir: <path>".
  const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
  return match?.[1] === undefined ? undefined : resolve(dir, match[1]);
}
