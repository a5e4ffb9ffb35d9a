import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DvctsError, ExitCode } from '../core/errors.js';
import { DEFAULT_CONFIG_TEXT } from './config.js';
import { DVCTS_DIR, findGitRoot } from './project.js';
import { LOCAL_CONFIG_RULE } from './remote-config.js';

export interface InitResult {
  readonly root: string;
  readonly git: boolean;
}

/**
 * `dvcts init`: creates `.dvcts/` with a commented config, the cache and tmp folders, and a
 * `.dvcts/.gitignore` that keeps cache, tmp and the machine's own config.local.yaml out of git. Works inside or outside a git repo.
 */
export async function init(opts: { cwd?: string; force?: boolean } = {}): Promise<InitResult> {
  const root = resolve(opts.cwd ?? process.cwd());
  const dir = join(root, DVCTS_DIR);
  if (existsSync(dir) && !opts.force) {
    throw new DvctsError('E_ALREADY_INIT', `${root} is already a dvcts project (${DVCTS_DIR}/ exists)`, {
      hint: 'use --force to rewrite the default config',
      exitCode: ExitCode.usage,
    });
  }
  await mkdir(join(dir, 'cache'), { recursive: true });
  await mkdir(join(dir, 'tmp'), { recursive: true });
  await writeFile(join(dir, 'config.yaml'), DEFAULT_CONFIG_TEXT);
  await writeFile(join(dir, '.gitignore'), `/cache/\n/tmp/\n${LOCAL_CONFIG_RULE}\n`);
  await mkdir(join(root, 'pipelines'), { recursive: true });
  return { root, git: findGitRoot(root) !== undefined };
}
