import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Cache } from '../cache/index.js';
import { repoRelative, requireGitRepo } from '../scm/git-repo.js';
import { commitSnapshot } from './metadata-files.js';
import { readTrackedOutputs } from './references.js';

/** A project file's text as one side of a comparison has it, or why it cannot be read. */
export type VersionedText = { readonly text: string } | { readonly missing: string };

/** The workspace, or the project as a git revision recorded it. */
export interface ProjectSide {
  /** "workspace", or the revision as the user typed it. */
  readonly label: string;
  read(path: string): Promise<VersionedText>;
}

/**
 * Reads project files (metrics, plots, params) at a side. At a revision a file comes, like in
 * DVC, from the cache when that revision's lock or pointer files record it as a stage output
 * (outputs are git-ignored), else from the git commit (params files, `cache: false` metrics).
 * Everything goes through isomorphic-git and the cache: the work tree and HEAD are untouched.
 */
export async function openSide(root: string, cache: Cache, rev: string | undefined): Promise<ProjectSide> {
  if (rev === undefined) {
    return {
      label: 'workspace',
      read: async (path) => {
        try {
          return { text: await readFile(join(root, path), 'utf8') };
        } catch {
          return { missing: 'not in the workspace (run `dvcts repro`)' };
        }
      },
    };
  }
  const repo = requireGitRepo(root, `reading files at a git revision ('${rev}')`);
  const { resolveRevision } = await import('../scm/revision.js');
  const { readFileAtCommit } = await import('../scm/tree-reader.js');
  const commit = await resolveRevision(repo, rev);
  const outputs = new Map((await readTrackedOutputs(commitSnapshot(repo, commit, root, rev))).outputs.map((o) => [o.path, o.info]));
  const under = repoRelative(repo, root);
  return {
    label: rev,
    read: async (path) => {
      const info = outputs.get(path);
      if (info !== undefined && (await cache.has(info))) return { text: await readFile(cache.objectPath(info.id), 'utf8') };
      const committed = await readFileAtCommit(repo, commit, under === '' ? path : posix.join(under, path));
      if (committed !== undefined) return { text: committed };
      return { missing: info !== undefined ? `recorded at ${rev} but not in the cache (run \`dvcts fetch --rev ${rev}\`)` : `not at ${rev}` };
    },
  };
}
