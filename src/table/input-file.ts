import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DvctsError } from '../core/errors.js';

const LISTED_FILES = 5;

/**
 * Fails clearly when a stage's input is a directory (a `split` output such as `datasets/splits/`
 * given whole as the dep of a stage that reads one table), naming files it could read instead.
 * A missing file is left to the reader's own error.
 */
export async function assertInputIsFile(path: string): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isDirectory()) return;
  const entries = await readdir(path, { withFileTypes: true }).catch(() => []);
  const files = entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  const example = files[0] === undefined ? '' : ` such as ${join(path, files[0])}`;
  throw new DvctsError('E_INPUT_IS_DIRECTORY', `${path} is a directory, but this stage reads one file`, {
    data: { file: path, files: files.slice(0, LISTED_FILES), count: files.length },
    hint:
      files.length === 0
        ? 'give a file as the dep, not a directory'
        : `give one of its files as the dep${example} (it holds ${files.slice(0, LISTED_FILES).join(', ')}${files.length > LISTED_FILES ? ', ...' : ''}); use foreach to run the stage on each`,
  });
}
