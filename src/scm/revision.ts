import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';
import { revNotFoundError } from './errors.js';
import type { GitRepo } from './git-repo.js';

/** A commit id (40 hex chars) that a user's revision string resolved to. */
export type CommitOid = string & { readonly __brand: 'CommitOid' };

// `main~2^`: a base name followed by ancestry steps (~N = N first parents, ^ = one first parent).
const ANCESTRY_RE = /^(.+?)((?:~\d*|\^)*)$/;
/** Where `dvcts exp` keeps one ref per experiment. */
export const EXPERIMENT_REFS = 'refs/exps';
/** An experiment name: one ref-safe path segment (letters, digits, `.`, `_`, `-`; no `..`, no `.lock` end). */
export const EXPERIMENT_NAME_RE = /^(?!.*\.\.)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

const ABBREVIATED_OID_RE = /^[0-9a-f]{4,40}$/i;

/**
 * Resolves what a user types after `--rev` (HEAD, a branch, a tag, an experiment name, a full or
 * abbreviated commit id, with optional `~N` / `^` suffixes) to a commit. Annotated tags are
 * peeled to their commit.
 * Anything that does not name a commit is E_REV_NOT_FOUND.
 */
export async function resolveRevision(repo: GitRepo, rev: string): Promise<CommitOid> {
  const match = ANCESTRY_RE.exec(rev.trim());
  if (match === null) throw revNotFoundError(rev, repo.dir);
  const [, base = '', steps = ''] = match;
  try {
    let oid = await peelToCommit(repo, await resolveBase(repo, base));
    for (const step of steps.match(/~\d*|\^/g) ?? []) {
      const count = step === '^' || step === '~' ? 1 : Number(step.slice(1));
      for (let i = 0; i < count; i++) oid = await firstParent(repo, oid, rev);
    }
    return oid as CommitOid;
  } catch (e) {
    if (e instanceof Error && 'code' in e && e.code === 'E_REV_NOT_FOUND') throw e;
    throw revNotFoundError(rev, repo.dir, e);
  }
}

async function resolveBase(repo: GitRepo, base: string): Promise<string> {
  const { fs, dir, gitdir } = repo;
  if (base === 'HEAD') return resolveHead(repo);
  try {
    const ref = await git.expandRef({ fs, dir, gitdir, ref: base });
    return await git.resolveRef({ fs, dir, gitdir, ref });
  } catch (refError) {
    // An experiment name (`dvcts exp run`) is a revision too, as in DVC.
    const experiment = EXPERIMENT_NAME_RE.test(base) ? await git.resolveRef({ fs, dir, gitdir, ref: `${EXPERIMENT_REFS}/${base}` }).catch(() => undefined) : undefined;
    if (experiment !== undefined) return experiment;
    if (!ABBREVIATED_OID_RE.test(base)) throw refError;
    return git.expandOid({ fs, dir, gitdir, oid: base.toLowerCase(), cache: repo.cache });
  }
}

/** The commit HEAD names; a linked worktree's HEAD is its own, while its refs are shared. */
export async function resolveHead(repo: GitRepo): Promise<string> {
  const { fs, dir, gitdir } = repo;
  if (repo.headGitdir === gitdir) return git.resolveRef({ fs, dir, gitdir, ref: 'HEAD' });
  const head = readFileSync(join(repo.headGitdir, 'HEAD'), 'utf8').trim();
  const symbolic = /^ref:\s*(\S+)$/.exec(head);
  return symbolic?.[1] === undefined ? head : git.resolveRef({ fs, dir, gitdir, ref: symbolic[1] });
}

/** Follows annotated tags down to the commit they name; anything else (tree, blob) is not a revision. */
export async function peelToCommit(repo: GitRepo, oid: string): Promise<string> {
  const { fs, dir, gitdir, cache } = repo;
  for (let depth = 0; depth < 16; depth++) {
    const object = await git.readObject({ fs, dir, gitdir, oid, cache, format: 'parsed' });
    if (object.type === 'commit') return oid;
    if (object.type !== 'tag') throw new Error(`${oid} is a ${object.type}, not a commit`);
    oid = (object.object as { object: string }).object;
  }
  throw new Error(`tag chain at ${oid} is too long`);
}

async function firstParent(repo: GitRepo, oid: string, rev: string): Promise<string> {
  const { commit } = await git.readCommit({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, oid, cache: repo.cache });
  const parent = commit.parent[0];
  if (parent === undefined) throw revNotFoundError(rev, repo.dir);
  return parent;
}
