import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dvctsIn } from './project.js';

/** This repository: the example project is its committed state. */
export const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Runs a command in `cwd`; throws with its stderr when it fails. */
export function sh(cwd: string, command: string): string {
  const r = spawnSync('/bin/sh', ['-c', command], { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** git with a committer identity (CI machines may have none). */
export const git = (cwd: string, args: string) => sh(cwd, `git -c user.name=walkthrough -c user.email=walkthrough@dvcts.invalid ${args}`);

/** Non-empty lines of a file (a CSV's header and rows). */
export const lines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').length;

/**
 * A fresh `git clone` of this repository's committed state (uncommitted edits are not in it) in
 * `parent/name`, set up as README command 1 does on a fresh machine: the installed packages and
 * the build are linked rather than installed again, and the raw data tracked with `dvcts add`
 * (the digits and the penguins) is written and stored in the cache by the commands
 * scripts/setup.sh runs.
 */
export function freshExampleClone(parent: string, name: string): string {
  const dir = join(parent, name);
  sh(parent, `git clone -q ${JSON.stringify(repo)} ${name}`);
  linkInstall(dir);
  sh(dir, 'node scripts/example-digits.mjs && node scripts/example-penguins.mjs');
  dvctsIn(dir, 'add', 'datasets/raw/digits', 'datasets/raw/penguins.csv').expectOk();
  return dir;
}

/** The packages and build of this checkout, linked into a clone (git-ignored there: a link is no folder to `dist/`). */
export function linkInstall(dir: string): void {
  for (const linked of ['node_modules', 'dist']) symlinkSync(join(repo, linked), join(dir, linked));
  appendFileSync(join(dir, '.git/info/exclude'), '/node_modules\n/dist\n');
}
