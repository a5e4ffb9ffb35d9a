import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { DvctsError } from '../core/errors.js';
import type { OptionProblem } from '../core/builtin.js';

/**
 * Paths that train/evaluate options name (data folders, tables, images, the model). They are
 * relative to the stage's wdir and must lie in a dep (the dep itself or a file inside a dep
 * folder), so that changing them reruns the stage.
 */
export function optionPath(wdir: string, path: string): string {
  return isAbsolute(path) ? path : resolve(wdir, path);
}

/** Static check: every option path is a dep or inside one. Deps are project-relative, options wdir-relative. */
export function optionPathsInDeps(options: Record<string, unknown>, names: readonly string[], deps: readonly string[]): OptionProblem[] {
  const problems: OptionProblem[] = [];
  for (const name of names) {
    const value = options[name];
    if (typeof value !== 'string') continue;
    const wanted = posix.normalize(value.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/\/$/, '');
    const covered = deps.some((dep) => wdirSuffixes(dep).some((d) => wanted === d || wanted.startsWith(`${d}/`)));
    if (!covered) {
      problems.push({
        code: 'E_OPTION_FILE_NOT_DEP',
        path: [name],
        message: `\`${name}: ${value}\` is not a dep of the stage, nor inside one`,
        hint: `add ${value} (or a folder holding it) to \`deps\` so that changing it reruns the stage`,
      });
    }
  }
  return problems;
}

/** A dep is project-relative with the (unknown here) wdir in front: each suffix may be the wdir-relative path. */
function wdirSuffixes(dep: string): string[] {
  const segments = posix.normalize(dep).replace(/\/$/, '').split('/');
  return segments.map((_, i) => segments.slice(i).join('/'));
}

/** `<folder>/<name>.csv|.tsv|.jsonl|.ndjson`, whichever exists; undefined when none does. */
export function tableIn(folder: string, name: string): string | undefined {
  return ['.csv', '.tsv', '.jsonl', '.ndjson'].map((ext) => join(folder, name + ext)).find((p) => existsSync(p));
}

export function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

export function missingInput(what: string, path: string, hint: string): DvctsError {
  return new DvctsError('E_TRAIN_INPUT_MISSING', `${what} not found: ${path}`, { data: { what, path }, hint });
}
