import { availableParallelism } from 'node:os';
import { join, posix } from 'node:path';
import type { Cache, CacheActivity } from '../cache/index.js';
import { mapLimit } from '../cache/concurrency.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { adviseFix } from './fsck-advice.js';
import { holdsContent, listStoredObjects, verifyFileObject, verifyManifestObject, type Defect, type Verdict } from './fsck-objects.js';
import { addUse, collectWorkspaceNeeds, type ObjectUse, type UnreadableMetadata, type WorkspaceNeeds } from './fsck-references.js';
import { openProjectCache } from './config.js';
import { findProjectRoot } from './project.js';
import { builtins, type ProjectOptions } from './builtins.js';

export type { Defect } from './fsck-objects.js';
export type { ObjectUse, UnreadableMetadata } from './fsck-references.js';

export interface FsckOptions extends ProjectOptions {
  /** Objects verified at once (default: cores, at least 4: reads overlap hashing). */
  readonly jobs?: number;
  /** Objects and bytes verified, as they go (phase `verifying`). */
  readonly progress?: Omit<CacheActivity, 'signal'>;
}

export interface FsckProblem {
  readonly id: ObjectId;
  readonly status: 'corrupt' | 'missing';
  /** Absolute path of the object in the store (present or not). */
  readonly objectPath: string;
  /** Only for corrupt objects. */
  readonly defect?: Defect;
  /** Pointer/lock entries (and files inside their folders) that use the object; empty if none. */
  readonly usedBy: readonly ObjectUse[];
  /** A workspace file (project-relative) that still holds the right bytes. */
  readonly goodCopy?: string;
  /** Commands that repair it. */
  readonly fix: string;
}

export interface FsckResult {
  /** true when no object is corrupt or missing and every pointer/lock file could be read. */
  readonly ok: boolean;
  /** Objects re-hashed, and their bytes. */
  readonly checked: number;
  readonly bytes: number;
  readonly corrupt: readonly FsckProblem[];
  readonly missing: readonly FsckProblem[];
  readonly unreadable: readonly UnreadableMetadata[];
  /** Temp files of interrupted writes in the store: harmless, safe to delete while no dvcts runs. */
  readonly tempFiles: readonly string[];
}

/**
 * `dvcts fsck`: re-hashes every object in the cache (never trusting the state cache) and checks
 * that everything the work tree's pointer and lock files record — folders' manifests and every
 * file they list — is present and sound. Read-only, so it takes no project lock: objects appear
 * only by atomic rename, and one that gc removes meanwhile is treated as absent.
 */
export async function fsck(opts: FsckOptions = {}): Promise<FsckResult> {
  const root = findProjectRoot(opts.cwd);
  const cache = await openProjectCache(root);
  const jobs = opts.jobs ?? Math.max(4, availableParallelism());
  const needs = await collectWorkspaceNeeds(root, opts.builtins ?? builtins);
  const stored = await listStoredObjects(cache.objectsDir);

  // Manifests first: the files they list become uses with expected sizes before files are checked.
  const verdicts = new Map<ObjectId, Verdict>();
  const progress = opts.progress;
  const verified = (verdict: Verdict): void => progress?.done?.('verifying', '', verdict !== 'absent' && verdict.ok ? verdict.size : 0);
  progress?.planned?.('verifying', '', stored.ids.length, undefined);
  const dirIds = stored.ids.filter((id) => isDirId(id));
  await mapLimit(dirIds, jobs, async (id) => {
    const { verdict, entries } = await verifyManifestObject(cache.objectPath(id), id, needs.sizes.get(id));
    verdicts.set(id, verdict);
    verified(verdict);
    if (entries !== undefined) expandFolder(needs, id, entries);
  });
  const fileIds = stored.ids.filter((id) => !isDirId(id));
  await mapLimit(fileIds, jobs, async (id) => {
    const verdict = await verifyFileObject(cache.objectPath(id), id, needs.sizes.get(id));
    verdicts.set(id, verdict);
    verified(verdict);
  });

  const corrupt: FsckProblem[] = [];
  const missing: FsckProblem[] = [];
  let checked = 0;
  let bytes = 0;
  for (const [id, verdict] of verdicts) {
    if (verdict === 'absent') continue;
    checked++;
    if (verdict.ok) bytes += verdict.size;
    else corrupt.push(await problem(root, cache, id, 'corrupt', needs.uses.get(id) ?? [], verdict.defect));
  }
  for (const [id, uses] of needs.uses) {
    const verdict = verdicts.get(id);
    if (verdict === undefined || verdict === 'absent') missing.push(await problem(root, cache, id, 'missing', uses));
  }
  const byId = (a: FsckProblem, b: FsckProblem): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    ok: corrupt.length === 0 && missing.length === 0 && needs.unreadable.length === 0,
    checked,
    bytes,
    corrupt: corrupt.sort(byId),
    missing: missing.sort(byId),
    unreadable: needs.unreadable,
    tempFiles: stored.tempFiles,
  };
}

/** Every use of a sound folder manifest becomes a use of each file it lists. */
function expandFolder(needs: WorkspaceNeeds, dirId: ObjectId, entries: readonly { path: string; id: ObjectId; size: number }[]): void {
  for (const use of needs.uses.get(dirId) ?? []) {
    for (const entry of entries) addUse(needs, entry.id, entry.size, { ...use, path: posix.join(use.output, entry.path) });
  }
}

// Workspace files hashed per problem when looking for an intact copy (an id may have 10k uses).
const GOOD_COPY_CANDIDATES = 3;

async function problem(
  root: string,
  cache: Cache,
  id: ObjectId,
  status: FsckProblem['status'],
  usedBy: readonly ObjectUse[],
  defect?: Defect,
): Promise<FsckProblem> {
  const objectPath = cache.objectPath(id);
  let goodCopy: string | undefined;
  if (!isDirId(id)) {
    for (const use of usedBy.slice(0, GOOD_COPY_CANDIDATES)) {
      if (await holdsContent(join(root, use.path), id)) {
        goodCopy = use.path;
        break;
      }
    }
  }
  const advice = { status, objectPath, usedBy, ...(goodCopy !== undefined ? { goodCopy } : {}) };
  return { id, ...advice, ...(defect !== undefined ? { defect } : {}), fix: adviseFix(advice) };
}
