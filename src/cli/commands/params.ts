import { paramsDiff } from '../../api/params-diff.js';
import { printChanges, type CompareFlags } from './compare.js';

export async function paramsDiffCommand(a: string | undefined, b: string | undefined, flags: CompareFlags): Promise<void> {
  printChanges('Param', await paramsDiff({ ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}), all: flags.all === true }), flags);
}
