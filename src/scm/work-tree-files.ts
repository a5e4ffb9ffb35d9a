import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import ignoreModule, { type Ignore } from 'ignore';

// `ignore` is CommonJS whose typings declare an ES default export: take the factory either way.
const ignore = (ignoreModule as unknown as { default: typeof ignoreModule }).default as unknown as () => Ignore;

/** A file that git would see in a work tree: what it is, by work-tree-relative posix path. */
export interface WorkTreeFile {
  readonly path: string;
  readonly stats: Stats;
}

interface IgnoreLevel {
  /** Work-tree-relative folder of the .gitignore ("" = the root, also for info/exclude). */
  readonly base: string;
  readonly rules: Ignore;
}

/**
 * The files `git add -A` would take from `dir`: tracked files that exist, and untracked ones no
 * .gitignore (nor `<gitdir>/info/exclude`) ignores. As in git, a deeper .gitignore overrides a
 * shallower one, an ignored folder is not descended into (a file inside cannot be re-included),
 * and a tracked file is never ignored. `exclude` names folders or files never taken (dvcts's own
 * cache link and scratch in a temporary workspace).
 */
export function listWorkTreeFiles(dir: string, gitdir: string, tracked: ReadonlySet<string>, exclude: ReadonlySet<string>): WorkTreeFile[] {
  const found: WorkTreeFile[] = [];
  const seen = new Set<string>();
  const excludeFile = join(gitdir, 'info', 'exclude');
  const rootLevels: IgnoreLevel[] = existsSync(excludeFile) ? [{ base: '', rules: ignore().add(readFileSync(excludeFile, 'utf8')) }] : [];

  const walk = (rel: string, levels: readonly IgnoreLevel[]): void => {
    const abs = rel === '' ? dir : join(dir, rel);
    const gitignore = join(abs, '.gitignore');
    const here = existsSync(gitignore) ? [...levels, { base: rel, rules: ignore().add(readFileSync(gitignore, 'utf8')) }] : levels;
    for (const name of readdirSync(abs).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      if (name === '.git' || exclude.has(path)) continue;
      const stats = lstatSync(join(abs, name));
      if (stats.isDirectory()) {
        if (!isIgnored(here, `${path}/`)) walk(path, here);
      } else if ((stats.isFile() || stats.isSymbolicLink()) && (tracked.has(path) || !isIgnored(here, path))) {
        found.push({ path, stats });
        seen.add(path);
      }
    }
  };
  walk('', rootLevels);
  // Tracked files inside ignored folders (force-added) are still part of the tree.
  for (const path of tracked) {
    if (seen.has(path) || [...exclude].some((e) => path === e || path.startsWith(`${e}/`))) continue;
    const stats = lstatIfExists(join(dir, path));
    if (stats && (stats.isFile() || stats.isSymbolicLink())) found.push({ path, stats });
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** git's rule: the deepest .gitignore that says something about the path decides. */
function isIgnored(levels: readonly IgnoreLevel[], path: string): boolean {
  let ignored = false;
  for (const { base, rules } of levels) {
    const relative = base === '' ? path : path.slice(base.length + 1);
    const verdict = rules.test(relative);
    if (verdict.ignored) ignored = true;
    else if (verdict.unignored) ignored = false;
  }
  return ignored;
}

function lstatIfExists(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}
