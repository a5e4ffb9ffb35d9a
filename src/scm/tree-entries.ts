import git from 'isomorphic-git';
import type { GitRepo } from './git-repo.js';
import type { CommitOid } from './revision.js';

/** A file of a commit as git stores it: blob (or, for a submodule, commit) id and mode. */
export interface TreeFile {
  readonly oid: string;
  /** '100644' file, '100755' executable, '120000' symlink, '160000' submodule. */
  readonly mode: string;
}

export const FILE_MODE = '100644';
export const EXECUTABLE_MODE = '100755';
export const SYMLINK_MODE = '120000';
export const SUBMODULE_MODE = '160000';
const TREE_MODE = '040000';

/** Every file of a commit by work-tree-relative posix path (trees flattened). */
export async function readTreeFiles(repo: GitRepo, commit: CommitOid): Promise<Map<string, TreeFile>> {
  const files = new Map<string, TreeFile>();
  const { fs, dir, gitdir, cache } = repo;
  const pending: { oid: string; prefix: string }[] = [{ oid: (await git.readCommit({ fs, dir, gitdir, oid: commit, cache })).commit.tree, prefix: '' }];
  while (pending.length > 0) {
    const { oid, prefix } = pending.pop()!;
    const { tree } = await git.readTree({ fs, dir, gitdir, oid, cache });
    for (const entry of tree) {
      const path = prefix === '' ? entry.path : `${prefix}/${entry.path}`;
      if (entry.type === 'tree') pending.push({ oid: entry.oid, prefix: path });
      else files.set(path, { oid: entry.oid, mode: entry.mode });
    }
  }
  return files;
}

/** Writes the nested tree objects for a flat path -> file map; returns the root tree id. */
export async function writeTreeFiles(repo: GitRepo, files: ReadonlyMap<string, TreeFile>): Promise<string> {
  interface Folder {
    readonly files: Map<string, TreeFile>;
    readonly folders: Map<string, Folder>;
  }
  const newFolder = (): Folder => ({ files: new Map(), folders: new Map() });
  const root = newFolder();
  for (const [path, file] of files) {
    const parts = path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) folder = folder.folders.get(part) ?? folder.folders.set(part, newFolder()).get(part)!;
    folder.files.set(parts[parts.length - 1]!, file);
  }
  const write = async (folder: Folder): Promise<string> => {
    const tree = [...folder.files].map(([path, f]) => ({ path, oid: f.oid, mode: f.mode, type: f.mode === SUBMODULE_MODE ? ('commit' as const) : ('blob' as const) }));
    for (const [path, sub] of folder.folders) tree.push({ path, oid: await write(sub), mode: TREE_MODE, type: 'tree' as never });
    return git.writeTree({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, tree });
  };
  return write(root);
}
