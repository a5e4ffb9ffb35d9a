import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { GitProject, objectIdsIn } from '../versioning/git-project.js';

/** A git+dvcts project for remote tests, with helpers to clone it and to read a folder remote. */
export class RemoteProject extends GitProject {
  static override create(): RemoteProject {
    const p = new RemoteProject();
    p.git('init', '-q', '-b', 'main');
    p.dvcts('init').expectOk();
    return p;
  }

  /** `git clone` of this project into a new temp folder: pointer and lock files, no data, no cache. */
  clone(): RemoteProject {
    const c = new RemoteProject('dvcts-clone-');
    rmSync(c.root, { recursive: true, force: true });
    const r = spawnSync('git', ['clone', '-q', this.root, c.root], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git clone failed: ${r.stderr}`);
    return c;
  }
}

/** A folder for a remote, removed with `cleanup`. */
export function tempRemoteDir(): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), 'dvcts-remote-'));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Object files of a folder remote (`objects/ab/cdef…`), as ids; temp files are skipped. */
export function remoteObjects(remoteDir: string): string[] {
  return objectIdsIn(join(remoteDir, 'objects'));
}

/** Registers things to clean up after each test of the file; returns `track(x)`, which registers x and returns it. */
export function cleanUpAfterEach(): <T extends { cleanup(): void }>(x: T) => T {
  const pending: (() => void)[] = [];
  afterEach(() => {
    for (const c of pending.splice(0)) c();
  });
  return (x) => {
    pending.push(() => x.cleanup());
    return x;
  };
}

/** Every file below `dir` (relative posix path -> bytes), for comparing trees byte for byte. */
export function filesBelow(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const path = join(abs, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      if (statSync(path).isDirectory()) walk(path, relPath);
      else out.set(relPath, readFileSync(path));
    }
  };
  walk(dir, '');
  return out;
}

/** The error code a failed CLI run printed (`error[E_…]`). */
export function errorCode(stderr: string): string | undefined {
  return /error\[(E_[A-Z_]+)\]/.exec(stderr)?.[1];
}
