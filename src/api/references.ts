import { posix } from 'node:path';
import type { PathInfo } from '../cache/index.js';
import { parseLockFile } from '../lockfile/lock-file.js';
import type { MetadataSnapshot } from './metadata-files.js';
import { parsePointer, POINTER_SUFFIX } from './pointer.js';

/** One version of one piece of tracked data, as a pointer or lock file records it. */
export interface TrackedOutput {
  /** Project-relative posix path of the data. */
  readonly path: string;
  /** Project-relative path of the pointer or lock file that records it. */
  readonly source: string;
  /** For stage outputs: the stage's name in that lock file. */
  readonly stage?: string;
  readonly info: PathInfo;
}

/**
 * Every output recorded in a snapshot, sorted by path. A pointer or lock file that is not valid
 * stops the command with an error naming it (E_POINTER_INVALID / E_LOCK_INVALID): guessing what
 * a broken record meant could check out or delete the wrong data.
 */
export async function readTrackedOutputs(snapshot: MetadataSnapshot): Promise<TrackedOutput[]> {
  const outputs: TrackedOutput[] = [];
  for (const file of await snapshot.files()) outputs.push(...parseMetadata(file, await snapshot.read(file)));
  return outputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export function parseMetadata(file: string, text: string): TrackedOutput[] {
  if (file.endsWith(POINTER_SUFFIX)) {
    const folder = posix.dirname(file);
    return parsePointer(text, file).map((out) => ({
      path: folder === '.' ? out.path : posix.join(folder, out.path),
      source: file,
      info: infoOf(out),
    }));
  }
  const outputs: TrackedOutput[] = [];
  for (const [stage, entry] of parseLockFile(text, file)) {
    for (const out of entry.outs) outputs.push({ path: out.path, source: file, stage, info: infoOf(out) });
  }
  return outputs;
}

function infoOf(out: PathInfo): PathInfo {
  return { hash: out.hash, id: out.id, size: out.size, ...(out.nfiles !== undefined ? { nfiles: out.nfiles } : {}) };
}
