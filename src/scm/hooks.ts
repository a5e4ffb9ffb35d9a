import { chmod, mkdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { DvctsError, ExitCode } from '../core/errors.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { GitRepo } from './git-repo.js';

export type HookName = 'post-checkout' | 'post-merge';
export type HookAction = 'created' | 'appended' | 'updated' | 'unchanged';

export interface HookCommand {
  /** Absolute path of the node binary that runs dvcts. */
  readonly node: string;
  /** Absolute path of the dvcts entry point (the bundled dist/bin/dvcts.js) that did the install. */
  readonly main: string;
  /** Work-tree-relative folder of the dvcts project ("" = the work tree root). */
  readonly projectDir: string;
}

const BEGIN = '# >>> dvcts (managed by `dvcts install`; delete this block to uninstall) >>>';
const END = '# <<< dvcts <<<';
const SHELL_SHEBANG_RE = /^#!.*\b(sh|bash|dash|zsh|ksh|ash)\b/;

/**
 * Installs git hooks that run `dvcts checkout` after `git checkout` (branch switches only: git
 * passes $3=1) and after `git merge`/`git pull`, so the data always matches the pointer files.
 * A user's own hook is kept: the dvcts block is appended, or replaced in place on a re-install,
 * so installing twice changes nothing.
 */
export async function installHooks(repo: GitRepo, command: HookCommand): Promise<{ hook: HookName; path: string; action: HookAction }[]> {
  const dir = await hooksDir(repo);
  await mkdir(dir, { recursive: true });
  const results = [];
  for (const hook of ['post-checkout', 'post-merge'] as const) {
    const path = join(dir, hook);
    results.push({ hook, path, action: await writeHook(path, hookBlock(hook, command)) });
  }
  return results;
}

/** `core.hooksPath` when configured (relative to the work tree, like git), else `<gitdir>/hooks`. */
async function hooksDir(repo: GitRepo): Promise<string> {
  const configured: unknown = await git.getConfig({ fs: repo.fs, dir: repo.dir, gitdir: repo.gitdir, path: 'core.hooksPath' });
  if (typeof configured !== 'string' || configured === '') return join(repo.gitdir, 'hooks');
  return isAbsolute(configured) ? configured : resolve(repo.dir, configured);
}

async function writeHook(path: string, block: string): Promise<HookAction> {
  let existing: string | undefined;
  try {
    existing = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  let next: string;
  let action: HookAction;
  if (existing === undefined) {
    next = `#!/bin/sh\n${block}`;
    action = 'created';
  } else if (existing.includes(BEGIN) && existing.includes(END)) {
    const start = existing.indexOf(BEGIN);
    const stop = existing.indexOf(END, start) + END.length + 1;
    next = existing.slice(0, start) + block + existing.slice(stop);
    action = next === existing ? 'unchanged' : 'updated';
  } else {
    const firstLine = existing.split('\n', 1)[0] ?? '';
    if (firstLine.startsWith('#!') && !SHELL_SHEBANG_RE.test(firstLine)) throw foreignHookError(path, firstLine);
    next = `${existing}${existing.endsWith('\n') || existing === '' ? '' : '\n'}${block}`;
    action = 'appended';
  }
  if (action !== 'unchanged') await writeFileAtomic(path, next);
  await chmod(path, 0o755);
  return action;
}

function hookBlock(hook: HookName, c: HookCommand): string {
  const run = `(cd ${shellQuote(c.projectDir === '' ? '.' : c.projectDir)} && ${shellQuote(c.node)} "$dvcts_main" checkout)`;
  const guarded = `if [ -f "$dvcts_main" ]; then ${run}; else echo "dvcts: $dvcts_main no longer exists; run 'dvcts install' again" >&2; fi`;
  // post-checkout's $3 is 1 for a branch switch and 0 for `git checkout -- file`: only the former changes pointer files wholesale.
  const body = hook === 'post-checkout' ? `if [ "$3" = 1 ]; then\n  ${guarded}\nfi` : guarded;
  return `${BEGIN}\ndvcts_main=${shellQuote(c.main)}\n${body}\n${END}\n`;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

function foreignHookError(path: string, shebang: string): DvctsError {
  return new DvctsError('E_HOOK_FOREIGN', `git hook ${path} is not a shell script (${shebang}); dvcts cannot append its block to it`, {
    data: { path, shebang },
    hint: 'call `dvcts checkout` from that hook yourself, or turn it into a shell script and run `dvcts install` again',
    exitCode: ExitCode.usage,
  });
}
