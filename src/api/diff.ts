import type { Diagnostic } from '../core/diagnostics.js';
import { openProjectCache } from './config.js';
import { recordedSide, workspaceSide, type DiffSide, type FileState } from './diff-sides.js';
import { openSnapshot } from './metadata-files.js';
import { findProjectRoot } from './project.js';
import { reachableOutputs, readTrackedOutputs } from './references.js';

export interface DiffOptions {
  readonly cwd?: string;
  /** Old revision; default HEAD. */
  readonly a?: string;
  /** New revision; default: the workspace data as it is now. */
  readonly b?: string;
}

export interface FileChange {
  /** Project-relative; folders end in "/". */
  readonly path: string;
  readonly old?: FileState;
  readonly new?: FileState;
}

export interface DiffResult {
  readonly a: string;
  readonly b: string;
  readonly added: readonly FileChange[];
  readonly deleted: readonly FileChange[];
  readonly modified: readonly FileChange[];
  /** Folders compared only as a whole because a manifest is not in the cache (`dvcts pull` fixes it). */
  readonly unexpanded: readonly string[];
  /** Records of either side that were skipped (unreadable, invalid, unsafe path), located. */
  readonly problems: readonly Diagnostic[];
  /** Texts of the pointer and lock files the problems point into. */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * `dvcts diff [A] [B]`: files added, deleted and modified in tracked data between two revisions,
 * or between a revision and the workspace — inside folders too, through their manifests.
 * Reads git objects and the cache only; writes nothing but the state cache.
 */
export async function diff(opts: DiffOptions = {}): Promise<DiffResult> {
  const root = findProjectRoot(opts.cwd);
  const a = opts.a ?? 'HEAD';
  const cache = await openProjectCache(root);
  try {
    const oldRecords = await readTrackedOutputs(await openSnapshot(root, a));
    const newRecords = await readTrackedOutputs(await openSnapshot(root, opts.b));
    const oldSide = await recordedSide(cache, oldRecords.outputs);
    const newSide = opts.b === undefined ? await workspaceSide(cache, root, await reachableOutputs(root, newRecords.outputs, newRecords.problems)) : await recordedSide(cache, newRecords.outputs);
    const problems = [...oldRecords.problems, ...newRecords.problems];
    return { a, b: opts.b ?? 'workspace', ...compareSides(oldSide, newSide), problems, sources: new Map([...oldRecords.sources, ...newRecords.sources]) };
  } finally {
    await cache.flush();
  }
}

export function compareSides(oldSide: DiffSide, newSide: DiffSide): Pick<DiffResult, 'added' | 'deleted' | 'modified' | 'unexpanded'> {
  const added: FileChange[] = [];
  const deleted: FileChange[] = [];
  const modified: FileChange[] = [];
  const unexpanded = [...new Set([...oldSide.unexpanded, ...newSide.unexpanded])].sort();
  // Inside a folder one side cannot expand, file-level changes would be guesses: compare the folder only.
  const guessed = (path: string): boolean => unexpanded.some((u) => path.startsWith(`${u}/`) && path !== `${u}/`);
  const paths = [...new Set([...oldSide.files.keys(), ...newSide.files.keys()])].filter((p) => !guessed(p)).sort();
  for (const path of paths) {
    const before = oldSide.files.get(path);
    const after = newSide.files.get(path);
    if (before === undefined && after !== undefined) added.push({ path, new: after });
    else if (before !== undefined && after === undefined) deleted.push({ path, old: before });
    else if (before !== undefined && after !== undefined && before.id !== after.id) modified.push({ path, old: before, new: after });
  }
  return { added, deleted, modified, unexpanded };
}
