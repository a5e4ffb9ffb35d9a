import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { openCache, type Cache } from '../cache/index.js';
import { DvctsError } from '../core/errors.js';
import { checkProjectPath } from '../core/path-rule.js';
import type { ObjectId } from '../core/ids.js';
import type { LockedPath } from '../lockfile/types.js';

/** What the executor needs of a remote (the remote layer's `Remote` is one): transfers by object id. */
export interface RemoteStore {
  readonly name: string;
  readonly location: string;
  pushObjects(refs: Iterable<{ readonly id: ObjectId; readonly size?: number }>): Promise<{ readonly incomplete: readonly ObjectId[] }>;
  fetchObjects(refs: Iterable<{ readonly id: ObjectId; readonly size?: number }>): Promise<{ readonly incomplete: readonly ObjectId[] }>;
  pushRunCacheEntry(fingerprint: string): Promise<boolean>;
  fetchRunCacheEntry(fingerprint: string): Promise<boolean>;
  close(): void;
}

/**
 * A job's private folder on a worker, laid out like the project: `<scratch>/jobs/<job>-<random>`.
 * Only the job's declared inputs are placed in it (so a stage reading anything else fails, as it
 * should), linked from the worker's cache (objects are read-only: a stage cannot alter its deps).
 */
export class ScratchWorkspace {
  private constructor(
    readonly root: string,
    readonly cache: Cache,
  ) {}

  static async create(scratch: string, cacheDir: string, jobId: string): Promise<ScratchWorkspace> {
    const root = join(scratch, 'jobs', `${jobId.replace(/[^A-Za-z0-9._-]/g, '_')}-${randomBytes(4).toString('hex')}`);
    await mkdir(root, { recursive: true });
    return new ScratchWorkspace(root, await openCache({ root, cacheDir, linkTypes: ['reflink', 'hardlink', 'copy'] }));
  }

  /**
   * Fetches the inputs from the remote into the worker's cache and places them. An input the
   * remote lacks is E_WORKER_INPUT_MISSING (the coordinator pushed to another remote).
   */
  async materialise(inputs: readonly LockedPath[], remote: RemoteStore, about: { stage: string; worker: string }): Promise<void> {
    for (const input of inputs) checkInputPath(input.path);
    const fetched = await remote.fetchObjects(inputs);
    const lacking = new Set(fetched.incomplete);
    const missing = inputs.filter((i) => lacking.has(i.id)).map((i) => i.path);
    if (missing.length > 0) {
      throw new DvctsError('E_WORKER_INPUT_MISSING', `worker ${about.worker} could not fetch ${missing.join(', ')} of stage "${about.stage}" from remote ${remote.location}`, {
        data: { stage: about.stage, paths: missing, worker: about.worker, remote: remote.location },
        hint: 'the workers must use the remote the coordinator pushes to (dvcts worker --remote URL, dvcts repro -r NAME)',
      });
    }
    for (const input of inputs) await this.cache.checkout(input, this.path(input.path));
  }

  path(rel: string): string {
    return join(this.root, rel);
  }

  async remove(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/** Paths in a job were checked by the coordinator's loader; a worker still applies the one path rule. */
function checkInputPath(path: string): void {
  const problem = checkProjectPath(path, { use: 'read' });
  if (problem !== undefined) throw new DvctsError(problem.code, `job input: ${problem.message}`, { data: { path }, hint: problem.hint });
}
