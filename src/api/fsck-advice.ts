import type { ObjectUse } from './fsck-references.js';

export interface AdviceInput {
  readonly status: 'corrupt' | 'missing';
  /** Absolute path of the object file in the store. */
  readonly objectPath: string;
  readonly usedBy: readonly ObjectUse[];
  /** A workspace file (project-relative) that still holds the right bytes. */
  readonly goodCopy?: string;
}

/**
 * The shortest way back to a sound cache for one object, as commands the user can run.
 * A corrupt object is removed first: the store never overwrites an object it believes it has
 * (dedupe), so re-saving only works once the bad file is gone. Then the bytes come back from
 * an intact workspace copy (re-add), the stage that made them (repro), or a remote (pull).
 */
export function adviseFix(p: AdviceInput): string {
  const remove = `remove the corrupt object: rm -f ${p.objectPath}`;
  // Nothing in the work tree needs it: it is kept only for old versions or the run-cache.
  if (p.usedBy.length === 0) return `${remove} (nothing in the work tree uses it)`;
  const restore = restoreStep(p);
  return p.status === 'corrupt' ? `${remove}; then ${restore}` : restore;
}

function restoreStep(p: AdviceInput): string {
  const pointerUse = p.usedBy.find((u) => u.stage === undefined);
  const stageUse = p.usedBy.find((u) => u.stage !== undefined);
  if (p.goodCopy !== undefined && pointerUse !== undefined) {
    return `re-save it from the intact workspace copy ${p.goodCopy}: dvcts add ${pointerUse.output}`;
  }
  if (stageUse?.stage !== undefined) {
    return `recreate it: dvcts repro --force --single-item ${stageUse.stage} (or dvcts pull, once a remote holds it)`;
  }
  const use = pointerUse ?? p.usedBy[0];
  return `restore it with dvcts pull (once a remote holds it), or put a good copy of ${use?.path} back and run dvcts add ${use?.output}`;
}
