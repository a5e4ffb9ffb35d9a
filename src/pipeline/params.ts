import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsedCopy } from './parsed-copy.js';
import type { ParamRef } from '../core/spec.js';
import { lookupPath, parseKeyPath } from './key-path.js';

/**
 * Reads tracked params at run time (for lock files and `params diff`), parsing each file once.
 * A missing file or key reads as undefined (DVC reports that as a changed param, not a crash);
 * a file that is not valid YAML/JSON throws E_PARAMS_INVALID.
 */
export class ParamsReader {
  private readonly files = new Map<string, Promise<unknown>>();

  constructor(private readonly root: string) {}

  async read(ref: ParamRef): Promise<unknown> {
    const content = await this.file(ref.file);
    if (content === undefined || ref.key === undefined) return content;
    const segments = parseKeyPath(ref.key);
    if (!segments) return undefined;
    const found = lookupPath(content, segments);
    return found.found ? found.value : undefined;
  }

  private file(path: string): Promise<unknown> {
    let pending = this.files.get(path);
    if (!pending) {
      pending = readParamsFile(this.root, path);
      this.files.set(path, pending);
    }
    return pending;
  }
}

async function readParamsFile(root: string, path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(join(root, path), 'utf8');
  } catch {
    return undefined;
  }
  const parse = async (): Promise<unknown> => (await import('./safe-yaml.js')).parseYamlValue(text, path, { code: 'E_PARAMS_INVALID', hint: `fix ${path} at that position` }) ?? null;
  return (await parsedCopy(root, 'params', path, text, parse)) ?? undefined;
}

/** Read the current value of a tracked param (undefined if the file or key is missing). Dotted + indexed keys. */
export async function readParam(root: string, ref: ParamRef): Promise<unknown> {
  return new ParamsReader(root).read(ref);
}
