import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import git from 'isomorphic-git';
import type { GitRepo } from './git-repo.js';
import type { CommitOid } from './revision.js';
import { EXECUTABLE_MODE, FILE_MODE, readTreeFiles, SUBMODULE_MODE, SYMLINK_MODE, writeTreeFiles, type TreeFile } from './tree-entries.js';
import { listWorkTreeFiles } from './work-tree-files.js';

export interface WorkTreeCommit {
  /** The folder whose files are recorded: the repository's work tree or a copy of it. */
  readonly dir: string;
  /** The parent commit: its files are the tracked ones (and unchanged blobs are reused). */
  readonly parent: CommitOid;
  readonly message: string;
  /** Work-tree-relative paths never recorded (folders or files). */
  readonly exclude?: ReadonlySet<string>;
}

/**
 * Records the files of a work tree as a commit, the way `git add -A && git commit` would, but
 * without touching the index, HEAD or any branch: only new objects are written. The caller
 * decides which ref (if any) keeps the commit.
 */
export async function commitWorkTree(repo: GitRepo, opts: WorkTreeCommit): Promise<CommitOid> {
  const base = await readTreeFiles(repo, opts.parent);
  const files = new Map<string, TreeFile>();
  for (const [path, file] of base) if (file.mode === SUBMODULE_MODE) files.set(path, file); // submodules are recorded as they were
  for (const { path, stats } of listWorkTreeFiles(opts.dir, repo.gitdir, new Set(base.keys()), opts.exclude ?? new Set())) {
    if (files.has(path)) continue;
    const abs = join(opts.dir, path);
    const mode = stats.isSymbolicLink() ? SYMLINK_MODE : stats.mode & 0o111 ? EXECUTABLE_MODE : FILE_MODE;
    const content = mode === SYMLINK_MODE ? Buffer.from(await readlink(abs)) : await readFile(abs);
    const { oid } = await git.hashBlob({ object: content });
    if (base.get(path)?.oid !== oid) await git.writeBlob({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, blob: content });
    files.set(path, { oid, mode });
  }
  const tree = await writeTreeFiles(repo, files);
  const author = await identity(repo);
  const oid = await git.writeCommit({
    fs: repo.fs,
    dir: repo.dir,
    gitdir: repo.gitdir,
    commit: { message: opts.message, tree, parent: [opts.parent], author, committer: author },
  });
  return oid as CommitOid;
}

/** git's configured user, else a fixed dvcts identity; the time is now. */
async function identity(repo: GitRepo): Promise<{ name: string; email: string; timestamp: number; timezoneOffset: number }> {
  const config = async (path: string): Promise<string | undefined> => {
    const value: unknown = await git.getConfig({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, path });
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  return {
    name: process.env.GIT_AUTHOR_NAME ?? (await config('user.name')) ?? 'dvcts',
    email: process.env.GIT_AUTHOR_EMAIL ?? (await config('user.email')) ?? 'dvcts@localhost',
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: new Date().getTimezoneOffset(),
  };
}
