import { join } from 'node:path';
import type { Cache, PathInfo } from '../cache/index.js';
import { DvctsError } from '../core/errors.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import type { TrackedOutput } from './references.js';
import { hashFolderFiles } from './workspace-files.js';

export type CheckoutAction = 'restore' | 'relink' | 'unchanged';

export interface PlannedOutput {
  readonly output: TrackedOutput;
  readonly action: CheckoutAction;
  /** Workspace content that differed from the record and was not in the cache: saved before anything changes. */
  readonly saved?: PathInfo;
}

/**
 * Decides what checkout does to each output, before the workspace is touched:
 * 1. every recorded object must be in the cache (else E_OBJECT_MISSING, nothing changed);
 * 2. workspace data that differs from the record and whose content the cache does not hold is
 *    saved into the cache first, so no checkout can lose it (the caller then refuses without --force);
 *    content an earlier checkout refused to overwrite stays a conflict although it is now cached.
 */
export async function planCheckout(
  root: string,
  cache: Cache,
  outputs: readonly TrackedOutput[],
  opts: { relink: boolean; refusedBefore(path: string, id: string): boolean },
): Promise<PlannedOutput[]> {
  const missing: TrackedOutput[] = [];
  for (const output of outputs) if (!(await cache.has(output.info))) missing.push(output);
  if (missing.length > 0) throw objectsMissingError(missing);

  const planned: PlannedOutput[] = [];
  for (const output of outputs) {
    const abs = join(root, output.path);
    const current = await cache.hashPath(abs);
    if (current === undefined) planned.push({ output, action: 'restore' });
    else if (current.id === output.info.id) planned.push({ output, action: opts.relink ? 'relink' : 'unchanged' });
    else if (opts.refusedBefore(output.path, current.id)) planned.push({ output, action: 'restore', saved: current });
    else if (await isStored(cache, abs, current)) planned.push({ output, action: 'restore' });
    else planned.push({ output, action: 'restore', saved: await cache.save(abs) });
  }
  return planned;
}

/**
 * Whether checkout could lose nothing by replacing `current`: for a folder, whether every file in
 * it is stored (files removed from a checked-out folder lose nothing, so its own manifest need not be).
 */
async function isStored(cache: Cache, abs: string, current: PathInfo): Promise<boolean> {
  if (await cache.has(current)) return true;
  if (!isDirId(current.id)) return false;
  for (const file of (await hashFolderFiles(cache, abs)).values()) if (!(await cache.has(file))) return false;
  return true;
}

export function objectsMissingError(missing: readonly TrackedOutput[]): DvctsError {
  const lines = missing.map((o) => `  ${o.path}: ${o.info.id} (recorded in ${o.source}${o.stage ? `, stage ${o.stage}` : ''})`);
  const readd = missing.filter((o) => o.stage === undefined).map((o) => o.path);
  const stages = missing.filter((o) => o.stage !== undefined).map((o) => o.stage!);
  const fixes = ['fetch them from a remote with `dvcts pull`'];
  if (readd.length > 0) fixes.push(`if you still have the data, record it again with \`dvcts add ${readd.join(' ')}\``);
  if (stages.length > 0) fixes.push(`rebuild stage outputs with \`dvcts repro ${[...new Set(stages)].join(' ')}\``);
  return new DvctsError('E_OBJECT_MISSING', `the cache does not hold the data of ${missing.length} tracked output(s); nothing was changed:\n${lines.join('\n')}`, {
    data: { outputs: missing.map((o) => ({ path: o.path, id: o.info.id, source: o.source, ...(o.stage ? { stage: o.stage } : {}) })) },
    hint: fixes.join('; or '),
  });
}

export function conflictError(conflicts: readonly PlannedOutput[], objectPath: (id: ObjectId) => string): DvctsError {
  const lines = conflicts.map(({ output, saved }) => {
    const id = saved!.id;
    const getBack = isDirId(id)
      ? `the manifest ${objectPath(id)} lists each file's object`
      : `cp ${objectPath(id)} ${output.path}`;
    return `  ${output.path}: saved to the cache as ${id} (to get it back later: ${getBack})`;
  });
  return new DvctsError(
    'E_CHECKOUT_CONFLICT',
    `checkout would overwrite ${conflicts.length} path(s) whose content no pointer or lock file records; nothing was changed:\n${lines.join('\n')}`,
    {
      data: { paths: conflicts.map(({ output, saved }) => ({ path: output.path, id: saved!.id, objectPath: objectPath(saved!.id), source: output.source })) },
      hint: 'to keep the new content, record it with `dvcts add <path>` (or `dvcts repro` for a stage output) and commit; to discard it, run the checkout again with --force (the content stays in the cache until `dvcts gc`)',
    },
  );
}
