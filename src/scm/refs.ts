import git from 'isomorphic-git';
import type { GitRepo } from './git-repo.js';
import type { CommitOid } from './revision.js';

/** Names of the refs directly below `prefix` (e.g. `refs/exps`), loose and packed, sorted. */
export async function listRefNames(repo: GitRepo, prefix: string): Promise<string[]> {
  const names = await git.listRefs({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, filepath: prefix });
  return names.filter((n) => !n.includes('/')).sort();
}

/** The commit a ref points at, or undefined when the ref does not exist. */
export async function refTarget(repo: GitRepo, ref: string): Promise<CommitOid | undefined> {
  try {
    return (await git.resolveRef({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, ref })) as CommitOid;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'NotFoundError') return undefined;
    throw e;
  }
}

export async function setRef(repo: GitRepo, ref: string, oid: CommitOid): Promise<void> {
  await git.writeRef({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, ref, value: oid, force: true });
}

export async function deleteRef(repo: GitRepo, ref: string): Promise<void> {
  await git.deleteRef({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, ref });
}

/** The commit HEAD points at; undefined in a repository without commits. */
export async function headCommit(repo: GitRepo): Promise<CommitOid | undefined> {
  return refTarget(repo, 'HEAD');
}

/** The branch HEAD is on, or undefined when HEAD is detached. */
export async function currentBranch(repo: GitRepo): Promise<string | undefined> {
  return (await git.currentBranch({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, fullname: false })) ?? undefined;
}

/** Whether `name` is a valid branch name for git (`git check-ref-format --branch`). */
export function isValidBranchName(name: string): boolean {
  return (
    name !== '' &&
    name !== '@' &&
    !name.startsWith('-') &&
    !name.startsWith('/') &&
    !name.endsWith('/') &&
    !name.endsWith('.') &&
    !name.includes('..') &&
    !name.includes('@{') &&
    !name.includes('//') &&
    !/[\x00-\x20\x7f~^:?*[\\]/.test(name) &&
    name.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'))
  );
}

export async function commitMessage(repo: GitRepo, oid: CommitOid): Promise<{ message: string; parents: readonly string[]; timestamp: number }> {
  const { commit } = await git.readCommit({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, oid, cache: repo.cache });
  return { message: commit.message, parents: commit.parent, timestamp: commit.committer.timestamp };
}
