import { copyFile, mkdir, rm, symlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { cacheDirOf, openCache } from '../cache/index.js';
import { DvctsError, ExitCode } from '../core/errors.js';
import { loadProject } from '../pipeline/load.js';
import { findGitRepo, repoRelative, type GitRepo } from '../scm/git-repo.js';
import { headCommit } from '../scm/refs.js';
import type { CommitOid } from '../scm/revision.js';
import { commitWorkTree } from '../scm/work-tree-commit.js';
import { writeCommitFiles } from '../scm/write-commit-files.js';
import { sweepStaleTemps, tempPathBeside } from '../util/atomic-write.js';
import { builtins as defaultBuiltins } from './builtins.js';
import { splitUncached } from './checkout.js';
import { workspaceSnapshot } from './metadata-files.js';
import { DVCTS_DIR, findProjectRoot } from './project.js';
import { readTrackedOutputs } from './references.js';
import type { BuiltinRegistry } from '../core/builtin.js';

/** The project and the git repository its experiments are recorded in. */
export interface ExperimentProject {
  readonly root: string;
  readonly repo: GitRepo;
  /** The project folder relative to the git work tree ("" when they are the same). */
  readonly under: string;
  readonly builtins: BuiltinRegistry;
}

export function experimentProject(opts: { cwd?: string; builtins?: BuiltinRegistry } = {}): ExperimentProject {
  const root = findProjectRoot(opts.cwd);
  const repo = findGitRepo(root);
  if (repo === undefined) throw noBaseline(root, `${root} is not inside a git repository`);
  return { root, repo, under: repoRelative(repo, root), builtins: opts.builtins ?? defaultBuiltins };
}

/** HEAD: the commit experiments start from and are recorded on top of. */
export async function baselineOf(project: ExperimentProject): Promise<CommitOid> {
  const head = await headCommit(project.repo);
  if (head === undefined) throw noBaseline(project.root, 'the git repository has no commit yet');
  return head;
}

function noBaseline(dir: string, why: string): DvctsError {
  return new DvctsError('E_EXP_NO_COMMIT', `experiments need a git commit to start from: ${why}`, { data: { dir }, exitCode: ExitCode.usage });
}

/** `.dvcts/tmp/exps`: temporary workspaces, queue state and logs. */
export function experimentsTmp(root: string): string {
  return join(root, DVCTS_DIR, 'tmp', 'exps');
}

/** The files of a work tree (the project's, or a temporary copy) as a commit on top of `parent`. */
export async function recordWorkTree(project: ExperimentProject, dir: string, parent: CommitOid, message: string): Promise<CommitOid> {
  const own = (name: string): string => posix.join(project.under, DVCTS_DIR, name);
  return commitWorkTree(project.repo, { dir, parent, message, exclude: new Set([own('cache'), own('tmp'), own('config.local.yaml')]) });
}

/**
 * A throw-away copy of the project for one experiment, below `.dvcts/tmp/exps/` (so links into
 * the cache stay on one file system): the files of a commit, the project's cache shared through
 * a symbolic link, the machine's config.local.yaml, and the recorded data checked out from the
 * cache (as hard links where possible), so stages whose inputs did not change are up to date
 * there and never run again. Its folder name carries this process's pid: a copy left behind by
 * a killed process is removed by the next experiment command (`sweepTemporaryWorkspaces`).
 */
export class TemporaryWorkspace {
  private constructor(
    /** The copy of the git work tree. */
    readonly dir: string,
    /** The project root inside it. */
    readonly root: string,
  ) {}

  static async create(project: ExperimentProject, commit: CommitOid, name: string): Promise<TemporaryWorkspace> {
    const tmp = experimentsTmp(project.root);
    await mkdir(tmp, { recursive: true });
    const dir = tempPathBeside(join(tmp, name));
    const copy = new TemporaryWorkspace(dir, join(dir, project.under));
    try {
      await mkdir(copy.dir);
      await writeCommitFiles(project.repo, commit, copy.dir);
      await mkdir(join(copy.root, DVCTS_DIR), { recursive: true });
      await mkdir(cacheDirOf(project.root), { recursive: true });
      await symlink(cacheDirOf(project.root), cacheDirOf(copy.root));
      await copyFile(join(project.root, DVCTS_DIR, 'config.local.yaml'), join(copy.root, DVCTS_DIR, 'config.local.yaml')).catch(() => undefined);
      return copy;
    } catch (e) {
      await copy.remove();
      throw e;
    }
  }

  /** Checks out every recorded output whose data the cache holds; the others are rebuilt by the run. */
  async restoreRecordedData(builtins: BuiltinRegistry): Promise<void> {
    const stages = (await loadProject(this.root, { builtins })).spec.stages;
    // Records that fail the checks are skipped: their outputs are rebuilt by the run.
    const { cached } = splitUncached((await readTrackedOutputs(workspaceSnapshot(this.root))).outputs, stages);
    const cache = await openCache({ root: this.root, linkTypes: ['reflink', 'hardlink', 'copy'] });
    try {
      for (const output of cached) if (await cache.has(output.info)) await cache.checkout(output.info, join(this.root, output.path));
    } finally {
      await cache.flush();
    }
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Removes temporary workspaces whose process is gone (killed while an experiment ran). */
export function sweepTemporaryWorkspaces(root: string): Promise<number> {
  return sweepStaleTemps(experimentsTmp(root));
}
