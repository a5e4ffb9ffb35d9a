import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

// Which pipeline files a project has, apart from the loader: a `status` answered from the loaded-
// project memo (load-memo.ts) needs the list but never loads the loader's modules.

/** pipelines/*.yaml and *.yml sorted by name, then dvc.yaml at the root when present. */
export async function discoverPipelineFiles(root: string): Promise<string[]> {
  let names: string[] = [];
  try {
    names = await readdir(join(root, 'pipelines'));
  } catch {
    // no pipelines/ folder: a DVC-style project with only dvc.yaml
  }
  const found = names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => `pipelines/${n}`);
  if (await isFile(join(root, 'dvc.yaml'))) found.push('dvc.yaml');
  return found;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

export function normaliseFileArg(file: string): string {
  return file.replaceAll('\\', '/').replace(/^\.\//, '');
}
