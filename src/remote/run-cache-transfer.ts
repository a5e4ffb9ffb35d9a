import { readFile } from 'node:fs/promises';
import { mapLimit } from '../cache/concurrency.js';
import { parseRecord, type RunCache } from '../cache/run-cache.js';
import { isDirId } from '../core/ids.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import type { ObjectRef, TransferContext } from './context.js';
import { fetchObjects } from './fetch.js';
import { FINGERPRINT_RE, keyOf } from './keys.js';
import { listArea, presentOnRemote } from './presence.js';
import { pushObjects } from './push.js';

export interface RunCacheTransfer {
  /** Entries sent or stored now. */
  readonly transferred: number;
  /** Entries the other side already had. */
  readonly present: number;
  /** Entries left out because an object of their outputs is missing on the sending side. */
  readonly incomplete: readonly string[];
}

/** The objects a run-cache record names, or undefined for text that is not a record (never followed). */
export function recordRefs(text: string): ObjectRef[] | undefined {
  return parseRecord(text)?.map((o) => ({ id: o.id, ...(isDirId(o.id) ? {} : { size: o.size }) }));
}

/**
 * Sends run-cache records (default: all of them) that the remote lacks, each after the outputs
 * it names: a record on the remote promises that its objects are there too.
 */
export async function pushRunCacheEntries(ctx: TransferContext, runCache: RunCache, fingerprints?: readonly string[]): Promise<RunCacheTransfer> {
  const all = fingerprints ?? (await runCache.fingerprints());
  await ctx.backend.prepareWrite();
  const present = await presentOnRemote(ctx.backend, 'runs', all, ctx.jobs);
  const records = new Map<string, { text: string; refs: ObjectRef[] }>();
  const incomplete: string[] = [];
  for (const fp of all.filter((f) => !present.has(f))) {
    const text = await readFile(runCache.pathOf(fp), 'utf8').catch(() => undefined);
    const refs = text === undefined ? undefined : recordRefs(text);
    if (refs === undefined) incomplete.push(fp);
    else records.set(fp, { text: text!, refs });
  }
  const pushed = await pushObjects(ctx, [...records.values()].flatMap((r) => r.refs));
  const lacking = new Set(pushed.incomplete);
  let transferred = 0;
  await mapLimit([...records], ctx.jobs, async ([fp, { text, refs }]) => {
    if (refs.some((r) => lacking.has(r.id))) return void incomplete.push(fp);
    await ctx.backend.write(keyOf('runs', fp), Buffer.from(text));
    transferred++;
  });
  return { transferred, present: present.size, incomplete };
}

/**
 * Brings run-cache records (default: every one on the remote) and the outputs they name into the
 * local cache; a record is stored only once all its objects are. A fingerprint the local cache
 * already records has its objects fetched if they went missing (after a local gc).
 */
export async function fetchRunCacheEntries(ctx: TransferContext, runCache: RunCache, fingerprints?: readonly string[]): Promise<RunCacheTransfer & { readonly unknown: readonly string[] }> {
  const wanted = (fingerprints ?? [...(await listArea(ctx.backend, 'runs')).keys()]).filter((fp) => FINGERPRINT_RE.test(fp));
  const records = new Map<string, { text: string; refs: ObjectRef[]; local: boolean }>();
  const unknown: string[] = [];
  const incomplete: string[] = [];
  await mapLimit(wanted, ctx.jobs, async (fp) => {
    const localText = await readFile(runCache.pathOf(fp), 'utf8').catch(() => undefined);
    const localRefs = localText === undefined ? undefined : recordRefs(localText);
    if (localRefs !== undefined) return void records.set(fp, { text: localText!, refs: localRefs, local: true });
    const bytes = await ctx.backend.read(keyOf('runs', fp));
    if (bytes === undefined) return void unknown.push(fp);
    const text = Buffer.from(bytes).toString('utf8');
    const refs = recordRefs(text);
    if (refs === undefined) incomplete.push(fp);
    else records.set(fp, { text, refs, local: false });
  });
  const fetched = await fetchObjects(ctx, [...records.values()].flatMap((r) => r.refs));
  const lacking = new Set(fetched.incomplete);
  let transferred = 0;
  let present = 0;
  for (const [fp, { text, refs, local }] of records) {
    if (refs.some((r) => lacking.has(r.id))) incomplete.push(fp);
    else if (local) present++;
    else {
      await writeFileAtomic(runCache.pathOf(fp), text);
      transferred++;
    }
  }
  return { transferred, present, incomplete, unknown };
}
