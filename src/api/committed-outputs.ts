import { commitsInScope, type CommitScope } from '../scm/commit-scope.js';
import { repoRelative, requireGitRepo } from '../scm/git-repo.js';
import { listCommittedFiles, readBlobText, treeOidAt } from '../scm/tree-reader.js';
import { isMetadataFile, openSnapshot, SKIPPED_DIRS, workspaceSnapshot } from './metadata-files.js';
import { parseMetadata, type TrackedOutput } from './references.js';

/** Which versions count: the work tree's pointer and lock files, plus those of a set of commits. */
export type VersionScope = 'workspace' | CommitScope;

/**
 * The outputs the work tree (or the revision `rev`) records, plus those the commits of `scope`
 * record (unsorted, may repeat an id). `command` names the caller in the error given outside
 * git. Every record counts, whatever path it names (callers want ids: gc keeps more, push sends
 * more); a file that does not parse stops the command, since the ids it holds are unknown.
 */
export async function outputsInScope(root: string, scope: VersionScope, command: string, rev?: string): Promise<{ outputs: TrackedOutput[]; commits: number }> {
  const snapshot = rev === undefined ? workspaceSnapshot(root) : await openSnapshot(root, rev);
  const outputs: TrackedOutput[] = [];
  for (const file of await snapshot.files()) outputs.push(...(await parseMetadata(file, await snapshot.read(file))));
  if (scope === 'workspace') return { outputs, commits: 0 };
  const committed = await committedOutputs(root, scope, command);
  return { outputs: [...outputs, ...committed.outputs], commits: committed.commits };
}

/** Every output that the pointer and lock files of the commits in `scope` record. */
async function committedOutputs(root: string, scope: CommitScope, command: string): Promise<{ outputs: TrackedOutput[]; commits: number }> {
  const repo = requireGitRepo(root, command);
  const under = repoRelative(repo, root);
  const commits = await commitsInScope(repo, scope);
  const outputs: TrackedOutput[] = [];
  // Most commits share the project tree or most metadata blobs with another: read each once.
  const seenTrees = new Set<string>();
  const seenBlobs = new Set<string>();
  for (const commit of commits) {
    const tree = await treeOidAt(repo, commit, under);
    if (tree === undefined || seenTrees.has(tree)) continue;
    seenTrees.add(tree);
    for (const file of await listCommittedFiles(repo, commit, { under, skipDirs: SKIPPED_DIRS, accept: isMetadataFile })) {
      if (seenBlobs.has(file.blobOid)) continue;
      seenBlobs.add(file.blobOid);
      outputs.push(...(await parseMetadata(file.path, await readBlobText(repo, file.blobOid))));
    }
  }
  return { outputs, commits: commits.length };
}
