import type { ObjectId } from '../core/ids.js';
import { isDvctsError } from '../core/errors.js';
import { loadProject } from '../pipeline/load.js';
import { workspaceSnapshot } from './metadata-files.js';
import { parseMetadata, type TrackedOutput } from './references.js';
import type { BuiltinRegistry } from '../core/builtin.js';

/** One place that needs an object: a pointer or lock file entry, or a file inside its folder. */
export interface ObjectUse {
  /** Project-relative pointer or lock file that records the output. */
  readonly file: string;
  /** The tracked output (a file or a folder), project-relative. */
  readonly output: string;
  /** The data the object holds: `output` itself, or `output/<file in the folder>`. */
  readonly path: string;
  /** For stage outputs: the stage's name in that lock file. */
  readonly stage?: string;
}

/** A pointer or lock file that fsck could not read: reported, and its outputs are not checked. */
export interface UnreadableMetadata {
  readonly file: string;
  readonly code: string;
  readonly message: string;
}

/** What the work tree's pointer and lock files need from the cache, before expanding folders. */
export interface WorkspaceNeeds {
  /** Object id -> the records that use it. */
  readonly uses: Map<ObjectId, ObjectUse[]>;
  /** Object id -> the size a record gives it (the first record wins; sizes of one id agree). */
  readonly sizes: Map<ObjectId, number>;
  readonly unreadable: UnreadableMetadata[];
}

/**
 * Reads every pointer and lock file of the work tree. Unlike checkout, a broken one does not stop
 * fsck: it is one more finding, and the other files are still checked. `cache: false` stage
 * outputs are recorded in lock files but never stored, so they need nothing from the cache.
 */
export async function collectWorkspaceNeeds(root: string, builtins: BuiltinRegistry): Promise<WorkspaceNeeds> {
  const needs: WorkspaceNeeds = { uses: new Map(), sizes: new Map(), unreadable: [] };
  const snapshot = workspaceSnapshot(root);
  const uncached = await uncachedOutputs(root, builtins);
  for (const file of await snapshot.files()) {
    let outputs: TrackedOutput[];
    try {
      outputs = await parseMetadata(file, await snapshot.read(file));
    } catch (e) {
      if (!isDvctsError(e)) throw e;
      needs.unreadable.push({ file, code: e.code, message: e.message });
      continue;
    }
    for (const o of outputs) {
      if (o.stage !== undefined && uncached.has(outputKey(o.source, o.stage, o.path))) continue;
      const use: ObjectUse = { file: o.source, output: o.path, path: o.path, ...(o.stage !== undefined ? { stage: o.stage } : {}) };
      addUse(needs, o.info.id, o.info.size, use);
    }
  }
  return needs;
}

export function addUse(needs: Pick<WorkspaceNeeds, 'uses' | 'sizes'>, id: ObjectId, size: number, use: ObjectUse): void {
  const list = needs.uses.get(id);
  if (list === undefined) needs.uses.set(id, [use]);
  else list.push(use);
  if (!needs.sizes.has(id)) needs.sizes.set(id, size);
}

/** `lockFile\0stage\0path` of every `cache: false` output; invalid pipelines just contribute fewer stages. */
async function uncachedOutputs(root: string, builtins: BuiltinRegistry): Promise<Set<string>> {
  const stages = (await loadProject(root, { builtins })).spec.stages;
  return new Set(stages.flatMap((s) => s.outs.filter((o) => !o.cache).map((o) => outputKey(s.lockFile, s.name, o.path))));
}

function outputKey(lockFile: string, stage: string, path: string): string {
  return `${lockFile}\0${stage}\0${path}`;
}
