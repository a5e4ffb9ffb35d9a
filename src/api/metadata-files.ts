import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMetadataFile, POINTER_SUFFIX } from '../core/path-rule.js';
import { pipelineFilesOfLock } from '../pipeline/paths.js';
import { repoRelative, requireGitRepo, type GitRepo } from '../scm/git-repo.js';
import type { CommitOid } from '../scm/revision.js';

export { isMetadataFile };

// isomorphic-git (~45 ms to load) is needed only to read a revision: loaded on first use, so
// `status` and a work-tree checkout never pay for it.
const treeReader = (): Promise<typeof import('../scm/tree-reader.js')> => import('../scm/tree-reader.js');

/**
 * The files that record tracked data — pointer files (`**\/*.dvcts`) and lock files
 * (`pipelines/*.lock`, `**\/dvc.dvcts.lock`) — as they are in the work tree or at a commit.
 * Everything that reads versions (checkout, diff, gc) sees a project through this interface,
 * so "now" and "at v1" are handled by the same code.
 */
export interface MetadataSnapshot {
  /** "workspace", or the revision as the user typed it. */
  readonly label: string;
  /** The project's root: where parsed copies of unchanged texts are kept (parsed-copy.ts). */
  readonly root: string;
  /** Project-relative posix paths, sorted. */
  files(): Promise<string[]>;
  read(file: string): Promise<string>;
  /** The pipeline file a lock file belongs to, with its text, if the snapshot has one. */
  pipelineOf(lockFile: string): Promise<{ file: string; text: string } | undefined>;
}

/** Pipeline files a lock file may belong to: `pipelines/*.yaml|yml` and any `dvc.yaml|yml`. */
function isPipelineFile(path: string): boolean {
  return /^pipelines\/[^/]+\.ya?ml$/.test(path) || /(^|\/)dvc\.ya?ml$/.test(path);
}

/** Folders that never hold pointer files: git's, dvcts's own, and package installs. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['.git', '.dvcts', 'node_modules']);

export function workspaceSnapshot(root: string): MetadataSnapshot {
  const read = (file: string): Promise<string> => readFile(join(root, file), 'utf8');
  return {
    label: 'workspace',
    root,
    files: () => findWorkspaceMetadata(root),
    read,
    pipelineOf: (lockFile) => firstReadable(pipelineFilesOfLock(lockFile), (file) => read(file).catch(() => undefined)),
  };
}

async function firstReadable(
  files: readonly string[],
  read: (file: string) => Promise<string | undefined>,
): Promise<{ file: string; text: string } | undefined> {
  for (const file of files) {
    const text = await read(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

/** The project's metadata files at `commit`, read from git objects; the work tree is not touched. */
export function commitSnapshot(repo: GitRepo, commit: CommitOid, projectRoot: string, label: string): MetadataSnapshot {
  const under = repoRelative(repo, projectRoot);
  let blobs: Promise<Map<string, string>> | undefined;
  const listing = (): Promise<Map<string, string>> => {
    blobs ??= treeReader()
      .then(({ listCommittedFiles }) => listCommittedFiles(repo, commit, { under, skipDirs: SKIPPED_DIRS, accept: (path) => isMetadataFile(path) || isPipelineFile(path) }))
      .then((files) => new Map(files.map((f) => [f.path, f.blobOid])));
    return blobs;
  };
  const readIfListed = async (file: string): Promise<string | undefined> => {
    const oid = (await listing()).get(file);
    return oid === undefined ? undefined : (await treeReader()).readBlobText(repo, oid);
  };
  return {
    label,
    root: projectRoot,
    files: async () => [...(await listing()).keys()].filter(isMetadataFile),
    read: async (file) => {
      const text = await readIfListed(file);
      if (text === undefined) throw new Error(`${file} is not a metadata file of ${label}`);
      return text;
    },
    pipelineOf: (lockFile) => firstReadable(pipelineFilesOfLock(lockFile), readIfListed),
  };
}

/**
 * Walks the work tree for metadata files. A folder `x` with an `x.dvcts` beside it is tracked
 * data (pointer files cannot live inside tracked data), so it is not descended into: a 100k-file
 * dataset costs one stat, not 100k directory entries.
 */
async function findWorkspaceMetadata(root: string): Promise<string[]> {
  const found: string[] = [];
  const pending = [''];
  while (pending.length > 0) {
    const rel = pending.pop()!;
    const dirents = await readdir(join(root, rel), { withFileTypes: true });
    const names = new Set(dirents.map((d) => d.name));
    for (const d of dirents) {
      const path = rel === '' ? d.name : `${rel}/${d.name}`;
      if (d.isDirectory()) {
        if (!SKIPPED_DIRS.has(d.name) && !names.has(d.name + POINTER_SUFFIX)) pending.push(path);
      } else if (d.isFile() && isMetadataFile(path)) {
        found.push(path);
      }
    }
  }
  return found.sort();
}

/** The work tree (no `rev`) or the commit `rev` names: E_NOT_GIT outside git, E_REV_NOT_FOUND for a bad name. */
export async function openSnapshot(root: string, rev: string | undefined): Promise<MetadataSnapshot> {
  if (rev === undefined) return workspaceSnapshot(root);
  const repo = requireGitRepo(root, `reading versions at a git revision ('${rev}')`);
  const { resolveRevision } = await import('../scm/revision.js');
  return commitSnapshot(repo, await resolveRevision(repo, rev), root, rev);
}
