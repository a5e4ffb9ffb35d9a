import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import git from 'isomorphic-git';
import type { GitRepo } from './git-repo.js';
import type { CommitOid } from './revision.js';
import { EXECUTABLE_MODE, readTreeFiles, SUBMODULE_MODE, SYMLINK_MODE } from './tree-entries.js';

/**
 * Writes every file of `commit` below `dest` (an empty folder), with its mode: what a fresh
 * `git worktree add` would check out (or only the paths in `only`), without touching the repository's own work tree, index
 * or HEAD. Submodules become empty folders. Paths come from git objects, which may be foreign:
 * isomorphic-git refuses tree entries named `..`, `.git` or containing `/`, so every path stays
 * below `dest`.
 */
export async function writeCommitFiles(repo: GitRepo, commit: CommitOid, dest: string, only?: ReadonlySet<string>): Promise<number> {
  const files = await readTreeFiles(repo, commit);
  for (const [path, file] of files) {
    if (only !== undefined && !only.has(path)) continue;
    const abs = join(dest, path);
    if (file.mode === SUBMODULE_MODE) {
      await mkdir(abs, { recursive: true });
      continue;
    }
    await mkdir(dirname(abs), { recursive: true });
    const { blob } = await git.readBlob({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, oid: file.oid, cache: repo.cache });
    if (file.mode === SYMLINK_MODE) await symlink(Buffer.from(blob).toString('utf8'), abs);
    else await writeFile(abs, blob, { mode: file.mode === EXECUTABLE_MODE ? 0o755 : 0o644 });
  }
  return files.size;
}
