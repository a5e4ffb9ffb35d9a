import { existsSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { StageSpec } from '../core/spec.js';

/** How a failed read looks in the log of a shell, Python, Node, ... */
const MISSING_FILE = /No such file|ENOENT|not found|cannot open|can't open|does not exist|FileNotFoundError/i;
/** Words that may be paths: letters, digits and `._-/` (quotes, colons and brackets end them). */
const PATH_TOKEN = /[A-Za-z0-9_.\-/]*[A-Za-z0-9_-][A-Za-z0-9_.\-/]*/g;

/**
 * The files a stage that failed on a worker probably tried to read: named in its error or last
 * log lines next to a "no such file" message, present in the project here, and not among its
 * deps, outs or params files. A worker's workspace holds only what the stage declares, so such a
 * stage works locally and fails remotely: this says why instead of leaving "No such file".
 */
export function undeclaredInputs(root: string, stage: StageSpec, texts: readonly string[]): string[] {
  const declared = [...stage.deps.map((d) => d.path), ...stage.outs.map((o) => o.path), ...stage.params.map((p) => p.file)];
  const within = (path: string): boolean => declared.some((d) => path === d || path.startsWith(`${d}/`));
  const found = new Set<string>();
  for (const text of texts) {
    if (!MISSING_FILE.test(text)) continue;
    for (const token of text.match(PATH_TOKEN) ?? []) {
      if (!/[./]/.test(token) || token.startsWith('/')) continue;
      for (const candidate of [posix.normalize(posix.join(stage.wdir, token)), posix.normalize(token)]) {
        if (candidate.startsWith('..') || candidate === '.' || candidate.startsWith('.dvcts') || within(candidate)) continue;
        if (existsSync(join(root, candidate))) {
          found.add(candidate);
          break;
        }
      }
    }
  }
  return [...found].sort();
}
