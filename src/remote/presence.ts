import { mapLimit } from '../cache/concurrency.js';
import type { RemoteBackend } from './backend.js';
import { fanoutPrefix, keyOf, nameOfKey, type Area } from './keys.js';

/** Below this many names, asking for each one is never slower than listing. */
const ASK_EACH_BELOW = 32;

/**
 * Which of `names` (object ids or fingerprints) the remote has, in few requests: either one
 * exists-check per name, or a listing of each fan-out folder that holds a wanted name, whichever
 * costs fewer requests. To choose, one folder is listed first (its entries are used either way)
 * and its size taken as the typical one, like DVC's estimate of a remote's size; that probe stops
 * as soon as listing has cost more pages than asking would.
 */
export async function presentOnRemote(backend: RemoteBackend, area: Area, names: Iterable<string>, jobs: number): Promise<Set<string>> {
  const wanted = [...new Set(names)];
  const present = new Set<string>();
  if (wanted.length === 0) return present;
  const askEach = async (list: readonly string[]): Promise<void> => {
    const found = await mapLimit(list, jobs, (name) => backend.exists(keyOf(area, name)));
    list.forEach((name, i) => found[i] && present.add(name));
  };
  if (wanted.length < ASK_EACH_BELOW) {
    await askEach(wanted);
    return present;
  }
  const byPrefix = new Map<string, string[]>();
  for (const name of wanted) {
    const prefix = fanoutPrefix(area, name);
    byPrefix.set(prefix, [...(byPrefix.get(prefix) ?? []), name]);
  }
  const prefixes = [...byPrefix.keys()];
  const [probe, ...rest] = prefixes;
  const pageBudget = Math.max(1, Math.ceil(wanted.length / prefixes.length));
  const probed = await listFolder(backend, area, probe!, pageBudget);
  if (probed === undefined) {
    await askEach(wanted);
    return present;
  }
  for (const name of byPrefix.get(probe!)!) if (probed.names.has(name)) present.add(name);
  const listingCost = rest.length * probed.pages;
  const askingCost = wanted.length - byPrefix.get(probe!)!.length;
  if (listingCost > askingCost) {
    await askEach(rest.flatMap((p) => byPrefix.get(p)!));
    return present;
  }
  await mapLimit(rest, jobs, async (prefix) => {
    const listed = (await listFolder(backend, area, prefix, Number.POSITIVE_INFINITY))!;
    for (const name of byPrefix.get(prefix)!) if (listed.names.has(name)) present.add(name);
  });
  return present;
}

/** The names in one fan-out folder and the pages that took; undefined past `maxPages`. */
async function listFolder(backend: RemoteBackend, area: Area, prefix: string, maxPages: number): Promise<{ names: Set<string>; pages: number } | undefined> {
  const names = new Set<string>();
  let pages = 0;
  for await (const page of backend.list(prefix)) {
    if (++pages > maxPages) return undefined;
    for (const entry of page) {
      const name = nameOfKey(area, entry.key);
      if (name !== undefined) names.add(name);
    }
  }
  return { names, pages: Math.max(pages, 1) };
}

/** Every name stored in an area, with sizes: for gc and for pushing/fetching all run-cache entries. */
export async function listArea(backend: RemoteBackend, area: Area): Promise<Map<string, { size: number; modifiedMs: number }>> {
  const all = new Map<string, { size: number; modifiedMs: number }>();
  for await (const page of backend.list(`${area}/`)) {
    for (const entry of page) {
      const name = nameOfKey(area, entry.key);
      if (name !== undefined) all.set(name, { size: entry.size, modifiedMs: entry.modifiedMs });
    }
  }
  return all;
}
