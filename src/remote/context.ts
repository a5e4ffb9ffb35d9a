import type { ObjectStore } from '../cache/object-store.js';
import type { ObjectId } from '../core/ids.js';
import type { RemoteBackend } from './backend.js';

/** Progress of a transfer: totals grow as work is discovered, then objects and bytes move. */
export interface TransferObserver {
  planned?(objects: number, bytes: number): void;
  moved?(objects: number, bytes: number): void;
}

/** An object to transfer; `size` (when known) picks the in-memory path and sizes progress bars. */
export interface ObjectRef {
  readonly id: ObjectId;
  readonly size?: number;
}

/** What every transfer works with: the remote, the local object store and how many at once. */
export interface TransferContext {
  readonly backend: RemoteBackend;
  readonly store: ObjectStore;
  readonly jobs: number;
  readonly observer?: TransferObserver;
}

/** Refs deduplicated by id (the first size seen wins). */
export function uniqueRefs(refs: Iterable<ObjectRef | ObjectId>): Map<ObjectId, ObjectRef> {
  const unique = new Map<ObjectId, ObjectRef>();
  for (const r of refs) {
    const ref = typeof r === 'string' ? { id: r } : r;
    if (!unique.has(ref.id)) unique.set(ref.id, ref);
  }
  return unique;
}
