import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { TempProject } from '../helpers/project.js';

/** A dvcts project inside a fresh git repository (tests drive git with its CLI; dvcts never does). */
export class GitProject extends TempProject {
  /** A git repository holding a dvcts project, in a fresh temp folder or at `root`. */
  static create(root?: string): GitProject {
    const p = new GitProject('dvcts-test-', root);
    p.git('init', '-q', '-b', 'main');
    p.dvcts('init').expectOk();
    return p;
  }

  git(...args: string[]): string {
    const r = spawnSync('git', ['-c', 'user.email=t@t', '-c', 'user.name=t', '-c', 'advice.detachedHead=false', ...args], {
      cwd: this.root,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout + r.stderr;
  }

  /** Stages everything git does not ignore and commits it; returns the commit id. */
  commit(message: string): string {
    this.git('add', '-A');
    this.git('commit', '-q', '-m', message);
    return this.git('rev-parse', 'HEAD').trim();
  }

  /** Every file below `rel` with its exact bytes (as latin1 text, so any byte compares exactly). */
  snapshot(rel: string): Record<string, string> {
    const out: Record<string, string> = {};
    const walk = (dir: string, prefix: string): void => {
      for (const name of readdirSync(dir).sort()) {
        const abs = join(dir, name);
        const path = prefix === '' ? name : `${prefix}/${name}`;
        if (statSync(abs).isDirectory()) walk(abs, path);
        else out[path] = readFileSync(abs, 'latin1');
      }
    };
    walk(this.path(rel), '');
    return out;
  }

  /** Object files in the cache, as ids. */
  objects(): string[] {
    return objectIdsIn(this.path('.dvcts/cache/objects'));
  }
}

/** Object files of a cache or remote `objects/` folder (`ab/cdef…`), as sorted ids; temp files are skipped. */
export function objectIdsIn(dir: string): string[] {
  const ids: string[] = [];
  let prefixes: string[] = [];
  try {
    prefixes = readdirSync(dir);
  } catch {
    return [];
  }
  for (const prefix of prefixes) for (const name of readdirSync(join(dir, prefix))) if (!name.startsWith('.')) ids.push(prefix + name);
  return ids.sort();
}

/** Version 1 and 2 of a nested folder: a.txt changed, c.bin deleted, sub/deep/d.txt added. */
export const V1 = {
  'data/images/a.txt': 'alpha v1\n',
  'data/images/c.bin': Buffer.from([0, 1, 2, 255, 254, 10, 13]),
  'data/images/sub/b.txt': 'bravo\n',
  'data/images/sub/deep/e.txt': 'echo\n',
};

export function writeV2(p: TempProject): void {
  p.write({ 'data/images/a.txt': 'alpha v2, longer\n', 'data/images/sub/deep/d.txt': 'delta\n' });
  p.sh('rm data/images/c.bin');
}

export function expectedV1(): Record<string, string> {
  return {
    'a.txt': 'alpha v1\n',
    'c.bin': Buffer.from([0, 1, 2, 255, 254, 10, 13]).toString('latin1'),
    'sub/b.txt': 'bravo\n',
    'sub/deep/e.txt': 'echo\n',
  };
}

export function expectedV2(): Record<string, string> {
  return { 'a.txt': 'alpha v2, longer\n', 'sub/b.txt': 'bravo\n', 'sub/deep/d.txt': 'delta\n', 'sub/deep/e.txt': 'echo\n' };
}
