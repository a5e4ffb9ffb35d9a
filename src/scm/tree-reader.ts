import git from 'isomorphic-git';
import type { GitRepo } from './git-repo.js';
import type { CommitOid } from './revision.js';

/** A file recorded in a commit: its path below the listed folder and its blob id. */
export interface CommittedFile {
  readonly path: string;
  readonly blobOid: string;
}

export interface ListOptions {
  /** Folder (work-tree-relative posix, "" = root) whose files are listed; paths come back relative to it. */
  readonly under: string;
  /** Folder names never descended into. */
  readonly skipDirs: ReadonlySet<string>;
  /** Which files to return, by their path relative to `under`. */
  accept(path: string): boolean;
}

/**
 * Lists files of a commit by reading tree objects only (no blob is read, no work tree file is
 * touched). A folder missing at that commit lists as empty.
 */
export async function listCommittedFiles(repo: GitRepo, commit: CommitOid, opts: ListOptions): Promise<CommittedFile[]> {
  const start = await treeOidAt(repo, commit, opts.under);
  if (start === undefined) return [];
  const found: CommittedFile[] = [];
  const pending: { oid: string; prefix: string }[] = [{ oid: start, prefix: '' }];
  while (pending.length > 0) {
    const { oid, prefix } = pending.pop()!;
    const { tree } = await git.readTree({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, oid, cache: repo.cache });
    for (const entry of tree) {
      const path = prefix === '' ? entry.path : `${prefix}/${entry.path}`;
      if (entry.type === 'tree' && !opts.skipDirs.has(entry.path)) pending.push({ oid: entry.oid, prefix: path });
      else if (entry.type === 'blob' && opts.accept(path)) found.push({ path, blobOid: entry.oid });
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The id of the tree at `folder` in `commit`; undefined when that folder does not exist there. */
export async function treeOidAt(repo: GitRepo, commit: CommitOid, folder: string): Promise<string | undefined> {
  try {
    const result = await git.readTree({
      fs: repo.fs,
      dir: repo.dir,
      gitdir: repo.gitdir,
      oid: commit,
      cache: repo.cache,
      ...(folder === '' ? {} : { filepath: folder }),
    });
    return result.oid;
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e.code === 'NotFoundError' || e.code === 'ObjectTypeError')) return undefined;
    throw e;
  }
}

/** The text of a blob (pointer and lock files are small UTF-8 YAML). */
export async function readBlobText(repo: GitRepo, blobOid: string): Promise<string> {
  const { blob } = await git.readBlob({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, oid: blobOid, cache: repo.cache });
  return Buffer.from(blob).toString('utf8');
}

/** The text of the file at work-tree-relative `path` in `commit`; undefined when it is not there. */
export async function readFileAtCommit(repo: GitRepo, commit: CommitOid, path: string): Promise<string | undefined> {
  try {
    const { blob } = await git.readBlob({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, oid: commit, filepath: path, cache: repo.cache });
    return Buffer.from(blob).toString('utf8');
  } catch (e) {
    if (e instanceof Error && 'code' in e && (e.code === 'NotFoundError' || e.code === 'ObjectTypeError')) return undefined;
    throw e;
  }
}
