import git from 'isomorphic-git';
import type { GitRepo } from './git-repo.js';
import { peelToCommit, resolveHead, type CommitOid } from './revision.js';

/** Which commits, besides the work tree, hold references that `gc` must keep. */
export type CommitScope = 'all-commits' | 'all-branches' | 'all-tags';

/**
 * The commits of a scope, deduplicated and sorted: tips of local branches, commits of tags
 * (annotated tags peeled), or every commit reachable from HEAD, a branch or a tag.
 */
export async function commitsInScope(repo: GitRepo, scope: CommitScope): Promise<CommitOid[]> {
  const { fs, dir, gitdir, cache } = repo;
  const branchTips = async (): Promise<string[]> =>
    Promise.all((await git.listBranches({ fs, dir, gitdir })).map((b) => git.resolveRef({ fs, dir, gitdir, ref: `refs/heads/${b}` })));
  const tagCommits = async (): Promise<string[]> => {
    const tags = await git.listTags({ fs, dir, gitdir });
    const peeled = await Promise.all(
      // A tag of a tree or blob names no commit: it holds no pointer files to keep.
      tags.map((t) => git.resolveRef({ fs, dir, gitdir, ref: `refs/tags/${t}` }).then((oid) => peelToCommit(repo, oid)).catch(() => undefined)),
    );
    return peeled.filter((oid): oid is string => oid !== undefined);
  };
  const head = async (): Promise<string[]> => {
    try {
      return [await resolveHead(repo)];
    } catch {
      return []; // a repository without any commit yet
    }
  };

  let commits: string[];
  if (scope === 'all-branches') commits = await branchTips();
  else if (scope === 'all-tags') commits = await tagCommits();
  else {
    const tips = new Set([...(await head()), ...(await branchTips()), ...(await tagCommits())]);
    const reachable = new Set<string>();
    for (const tip of tips) {
      if (reachable.has(tip)) continue;
      for (const entry of await git.log({ fs, dir, gitdir, ref: tip, cache })) reachable.add(entry.oid);
    }
    commits = [...reachable];
  }
  return [...new Set(commits)].sort() as CommitOid[];
}
