import { POINTER_SUFFIX } from '../core/path-rule.js';
import type { HashName, ObjectId } from '../core/ids.js';
import { parsedCopy } from '../pipeline/parsed-copy.js';

/**
 * Pointer files (`images.dvcts` beside `images`): the small, committed record of data tracked
 * with `dvcts add`, like DVC's `.dvc` files. The data lives in the cache; git holds this.
 *
 *   outs:
 *   - path: images        # relative to the pointer file's folder
 *     hash: xxh128
 *     id: 0f…e1.dir
 *     size: 12345
 *     nfiles: 42          # directories only
 */
export { POINTER_SUFFIX };
export const POINTER_INVALID = 'E_POINTER_INVALID';

export interface PointerOut {
  /** Relative to the folder of the pointer file, posix. */
  readonly path: string;
  readonly hash: HashName;
  readonly id: ObjectId;
  readonly size: number;
  readonly nfiles?: number;
}

export function pointerPathFor(dataPath: string): string {
  return `${dataPath}${POINTER_SUFFIX}`;
}

/**
 * The outs of a pointer file's text (see pointer-yaml.ts for what is valid); with the project's
 * `root`, an unchanged text is answered from its parsed copy without loading the YAML parser.
 */
export async function readPointer(text: string, file: string, root?: string): Promise<PointerOut[]> {
  const parse = async (): Promise<PointerOut[]> => (await import('./pointer-yaml.js')).parsePointer(text, file);
  return root === undefined ? parse() : parsedCopy(root, 'pointer', file, text, parse);
}
