import { fileURLToPath } from 'node:url';
import { requireGitRepo, repoRelative } from '../scm/git-repo.js';
import { installHooks, type HookAction, type HookName } from '../scm/hooks.js';
import { findProjectRoot } from './project.js';

export interface InstallOptions {
  readonly cwd?: string;
  /** Node binary the hooks run; default: the one running now. */
  readonly node?: string;
  /** dvcts entry point the hooks run; default: this installation's bundled CLI, dist/bin/dvcts.js. */
  readonly main?: string;
}

/**
 * `dvcts install`: git hooks that run `dvcts checkout` after `git checkout` and `git merge`, so
 * switching branches switches the data too. The hooks call this very dvcts by absolute path
 * (no reliance on PATH, which git hooks often lack); E_NOT_GIT outside a git repository.
 */
export async function install(opts: InstallOptions = {}): Promise<{ hook: HookName; path: string; action: HookAction }[]> {
  const root = findProjectRoot(opts.cwd);
  const repo = requireGitRepo(root, '`dvcts install` (it installs git hooks)');
  return installHooks(repo, {
    node: opts.node ?? process.execPath,
    // The bundle (package.json "bin"), not dist/cli/main.js: a hook pays the CLI's start-up on
    // every `git checkout`, and the bundle starts faster (scripts/bundle-cli.mjs).
    main: opts.main ?? fileURLToPath(new URL('../bin/dvcts.js', import.meta.url)),
    projectDir: repoRelative(repo, root),
  });
}
