import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DvctsError, ExitCode } from '../core/errors.js';

export const DVCTS_DIR = '.dvcts';

/** The project root: the nearest folder at or above `cwd` that holds `.dvcts/`. */
export function findProjectRoot(cwd: string = process.cwd()): string {
  let dir = resolve(cwd);
  for (;;) {
    if (isDir(join(dir, DVCTS_DIR))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new DvctsError('E_NOT_A_PROJECT', `no dvcts project here: no ${DVCTS_DIR}/ folder in ${resolve(cwd)} or above`, {
        hint: 'run `dvcts init` in the project root first',
        exitCode: ExitCode.usage,
      });
    }
    dir = parent;
  }
}

/** The git work tree root at or above `dir`, if any. */
export function findGitRoot(dir: string): string | undefined {
  let current = resolve(dir);
  for (;;) {
    if (existsSync(join(current, '.git'))) return current;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
