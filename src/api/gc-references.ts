import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDirOf, type Cache } from '../cache/index.js';
import { isDvctsError } from '../core/errors.js';
import { isDirId, type ObjectId } from '../core/ids.js';
import { outputsInScope, type VersionScope } from './committed-outputs.js';

export type GcScope = VersionScope;

export interface References {
  readonly ids: Set<string>;
  /** Commits whose pointer/lock files were read (0 for the workspace scope). */
  readonly commits: number;
}

// Object ids inside run-cache records, whatever their format: over-matching only keeps more.
const ID_IN_TEXT_RE = /[0-9a-f]{32}(?:\.dir)?/g;

/**
 * Every object that something in the scope needs: outputs recorded by the work tree's pointer and
 * lock files (always), by those files at each commit of the scope, by run-cache records; then the
 * files listed in every referenced folder manifest.
 */
export async function collectReferences(root: string, cache: Cache, scope: GcScope): Promise<References> {
  const { outputs, commits } = await outputsInScope(root, scope, `gc --${scope}`);
  const ids = new Set<string>(outputs.map((o) => o.info.id));
  await addRunCacheReferences(root, ids);
  await addManifestEntries(cache, ids);
  return { ids, commits };
}

async function addRunCacheReferences(root: string, ids: Set<string>): Promise<void> {
  const pending = [join(cacheDirOf(root), 'runs')];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    let dirents;
    try {
      dirents = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    for (const d of dirents) {
      if (d.isDirectory()) pending.push(join(dir, d.name));
      else if (d.isFile()) for (const m of (await readFile(join(dir, d.name), 'utf8')).matchAll(ID_IN_TEXT_RE)) ids.add(m[0]);
    }
  }
}

/** A folder keeps its manifest (already in `ids`) and every file the manifest lists. */
async function addManifestEntries(cache: Cache, ids: Set<string>): Promise<void> {
  for (const id of [...ids]) {
    if (!isDirId(id as ObjectId)) continue;
    try {
      for (const entry of await cache.readManifest(id as ObjectId)) ids.add(entry.id);
    } catch (e) {
      // A manifest that is not in the cache protects nothing that is.
      if (!isDvctsError(e) || e.code !== 'E_OBJECT_MISSING') throw e;
    }
  }
}
