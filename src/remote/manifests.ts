import { parseManifest, type ManifestEntry } from '../cache/manifest.js';
import type { ObjectId } from '../core/ids.js';
import type { TransferContext } from './context.js';
import { localSize, readLocalManifest } from './local-objects.js';
import { readVerified } from './receive.js';

/** Parses a manifest that came from the remote (untrusted: its paths are checked like any manifest's). */
export function parseRemoteManifest(ctx: TransferContext, id: ObjectId, bytes: Uint8Array): ManifestEntry[] {
  return parseManifest(Buffer.from(bytes).toString('utf8'), id, `${ctx.backend.location}: ${id}`);
}

/**
 * The files of a folder: from its manifest in the local cache, else from the remote (verified,
 * read into memory only); undefined when neither side has an intact manifest.
 */
export async function folderEntries(ctx: TransferContext, id: ObjectId): Promise<ManifestEntry[] | undefined> {
  if (localSize(ctx.store, id) !== undefined) return readLocalManifest(ctx.store, id);
  const read = await readVerified(ctx.backend, id);
  return read.state === 'read' ? parseRemoteManifest(ctx, id, read.bytes) : undefined;
}
