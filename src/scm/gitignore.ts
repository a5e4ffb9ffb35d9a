import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { writeFileAtomic } from '../util/atomic-write.js';
import { findGitRepo } from './git-repo.js';

/**
 * Makes git ignore tracked data: for each project-relative path `a/b/name`, the line `/name`
 * is added to `a/b/.gitignore` (DVC's convention: the rule sits next to the data and is anchored
 * to its folder, so moving a folder moves its rules). Idempotent: a rule already present is left
 * alone, and a file is rewritten (atomically) only when a rule is missing.
 * Returns the project-relative .gitignore files that changed.
 */
export async function ensureGitignored(root: string, paths: readonly string[]): Promise<string[]> {
  const byFolder = new Map<string, Set<string>>();
  for (const path of paths) {
    const folder = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    if (!byFolder.has(folder)) byFolder.set(folder, new Set());
    byFolder.get(folder)!.add(ignoreRuleFor(posix.basename(path)));
  }
  const changed: string[] = [];
  for (const [folder, rules] of [...byFolder].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = folder === '' ? '.gitignore' : `${folder}/.gitignore`;
    if (await addRules(join(root, file), [...rules])) changed.push(file);
  }
  return changed;
}

/** `/name` with git's pattern characters escaped, so a file called `a*b` ignores only itself. */
export function ignoreRuleFor(name: string): string {
  const escaped = name.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/^ | $/g, (c) => `\\${c}`);
  return `/${escaped}`;
}

// Stages finishing together may add rules to one .gitignore: updates of a file are queued, never interleaved.
const pendingUpdates = new Map<string, Promise<boolean>>();

function addRules(gitignorePath: string, rules: readonly string[]): Promise<boolean> {
  const previous = pendingUpdates.get(gitignorePath) ?? Promise.resolve(false);
  const next = previous.catch(() => false).then(() => addMissingRules(gitignorePath, rules));
  pendingUpdates.set(gitignorePath, next);
  void next.finally(() => {
    if (pendingUpdates.get(gitignorePath) === next) pendingUpdates.delete(gitignorePath);
  }).catch(() => undefined);
  return next;
}

async function addMissingRules(gitignorePath: string, rules: readonly string[]): Promise<boolean> {
  let text = '';
  try {
    text = await readFile(gitignorePath, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  // `/name/` (directory-only) also counts: it already ignores the folder `name`.
  const present = new Set(text.split(/\r?\n/).map((line) => line.trim().replace(/\/$/, '')));
  const missing = rules.filter((r) => !present.has(r));
  if (missing.length === 0) return false;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  await writeFileAtomic(gitignorePath, `${text}${separator}${missing.join('\n')}\n`);
  return true;
}

/**
 * ensureGitignored, but only when the project is inside a git work tree: `repro` calls it for
 * cached stage outputs, and a project without git should not sprout .gitignore files.
 */
export async function ensureGitignoredIfGit(root: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0 || findGitRepo(root) === undefined) return [];
  return ensureGitignored(root, paths);
}
