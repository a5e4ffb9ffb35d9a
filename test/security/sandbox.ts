import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { TempProject } from '../helpers/project.js';
import { GitProject } from '../versioning/git-project.js';

/** Every entry below a folder: file bytes (latin1), `-> target` for links, `<dir>` for folders. Links are never followed. */
export type Tree = Record<string, string>;

export function treeOf(dir: string): Tree {
  const out: Tree = {};
  const walk = (abs: string, rel: string): void => {
    for (const name of readdirSync(abs).sort()) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const child = join(abs, name);
      const info = lstatSync(child);
      if (info.isSymbolicLink()) out[path] = `-> ${readlinkSync(child)}`;
      else if (info.isDirectory()) {
        out[path] = '<dir>';
        walk(child, path);
      } else out[path] = readFileSync(child, 'latin1');
    }
  };
  walk(dir, '');
  return out;
}

/**
 * A temp folder holding a dvcts project in git (`project/`) next to data that is not the
 * project's (`outside/`, with a file and a folder an attack would target). Tests take a
 * snapshot, run the crafted case, then `expectSafe`: the folder around the project is exactly as
 * it was, and no file of the project was lost or changed (scratch in .dvcts/tmp aside).
 */
export class Sandbox {
  readonly home: string;
  readonly outside: string;
  readonly p: GitProject;

  constructor() {
    this.home = mkdtempSync(join(tmpdir(), 'dvcts-sec-'));
    this.outside = join(this.home, 'outside');
    mkdirSync(join(this.outside, 'victim'), { recursive: true });
    writeFileSync(join(this.outside, 'secret.txt'), 'outside secret\n');
    writeFileSync(join(this.outside, 'victim', 'a.txt'), 'victim a\n');
    writeFileSync(join(this.outside, 'victim', 'b.txt'), 'victim b\n');
    this.p = GitProject.create(join(this.home, 'project'));
  }

  /** What `expectSafe` compares against: the whole sandbox, project included. */
  snapshot(): Tree {
    return treeOf(this.home);
  }

  /**
   * Nothing outside the project changed or appeared, and every project entry of `before` is
   * still there with the same bytes, except scratch under .dvcts/tmp and the paths `mayChange`
   * names (project-relative, a folder covers what is inside it).
   */
  expectSafe(before: Tree, mayChange: readonly string[] = []): void {
    const after = this.snapshot();
    const inProject = (path: string): boolean => path === 'project' || path.startsWith('project/');
    const outsideOf = (t: Tree): Tree => Object.fromEntries(Object.entries(t).filter(([path]) => !inProject(path)));
    expect(outsideOf(after), 'nothing outside the project may change').toEqual(outsideOf(before));
    const exempt = ['.dvcts/tmp', ...mayChange].map((m) => `project/${m}`);
    const kept = (path: string): boolean => !exempt.some((m) => path === m || path.startsWith(`${m}/`));
    const lost = Object.entries(before).filter(([path, content]) => inProject(path) && kept(path) && after[path] !== content);
    expect(lost.map(([path]) => path), 'no project file may be lost or changed').toEqual([]);
  }

  cleanup(): void {
    rmSync(this.home, { recursive: true, force: true });
  }
}

/** The id recorded in a pointer file's text. */
export function pointerId(text: string): string {
  return /id: (\S+)/.exec(text)![1]!;
}

/** Path of an object in a project's cache. */
export function objectPath(p: TempProject, id: string): string {
  return p.path(`.dvcts/cache/objects/${id.slice(0, 2)}/${id.slice(2)}`);
}

/** A lock file recording `outs` for `stage` (no pipeline needs to define it). */
export function craftedLock(stage: string, outs: readonly { path: string; id: string; size: number; nfiles?: number }[]): string {
  const lines = ['schema: dvcts-lock/1', 'stages:', `  ${stage}:`, '    outs:'];
  for (const o of outs) {
    lines.push(`      - path: ${JSON.stringify(o.path)}`, '        hash: xxh128', `        id: ${o.id}`, `        size: ${o.size}`);
    if (o.nfiles !== undefined) lines.push(`        nfiles: ${o.nfiles}`);
  }
  return `${lines.join('\n')}\n`;
}

/** A pointer file recording one output at `path` (relative to the pointer's folder). */
export function craftedPointer(path: string, id: string, size: number, nfiles?: number): string {
  return `outs:\n- path: ${JSON.stringify(path)}\n  hash: xxh128\n  id: ${id}\n  size: ${size}\n${nfiles === undefined ? '' : `  nfiles: ${nfiles}\n`}`;
}
