import { diff, type FileChange } from '../../api/diff.js';
import { reportSkippedRecords } from '../record-problems.js';

/** Prints like `dvc diff`: Added / Deleted / Modified sections, then a files summary (folders end in "/"). */
export async function diffCommand(a: string | undefined, b: string | undefined, opts: { json?: boolean }): Promise<number> {
  const result = await diff({ ...(a !== undefined ? { a } : {}), ...(b !== undefined ? { b } : {}) });
  const skipped = reportSkippedRecords(result.problems, result.sources);
  if (opts.json) {
    const { sources: _sources, ...plain } = result;
    process.stdout.write(`${JSON.stringify(plain, null, 2)}\n`);
    return skipped;
  }
  const sections: [string, readonly FileChange[]][] = [
    ['Added', result.added],
    ['Deleted', result.deleted],
    ['Modified', result.modified],
  ];
  for (const [title, changes] of sections) {
    if (changes.length === 0) continue;
    process.stdout.write(`${title}:\n`);
    for (const c of changes) process.stdout.write(`    ${c.path}${sizeNote(c)}\n`);
    process.stdout.write('\n');
  }
  for (const folder of result.unexpanded) {
    process.stderr.write(`note: ${folder}/ compared as a whole: its manifest is not in the cache (dvcts pull fetches it)\n`);
  }
  const files = (changes: readonly FileChange[]): number => changes.filter((c) => !c.path.endsWith('/')).length;
  process.stdout.write(`files summary: ${files(result.added)} added, ${files(result.deleted)} deleted, ${files(result.modified)} modified\n`);
  return skipped;
}

function sizeNote(c: FileChange): string {
  if (c.old !== undefined && c.new !== undefined) return `  (${c.old.size} -> ${c.new.size} bytes)`;
  const size = (c.new ?? c.old)?.size;
  return size === undefined ? '' : `  (${size} bytes)`;
}
