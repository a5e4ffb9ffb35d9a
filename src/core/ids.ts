/** A content id: 32 lowercase hex chars (128 bits). Directories' ids end in ".dir" like DVC's. */
export type ObjectId = string & { readonly __brand: 'ObjectId' };

/** Name of the hash algorithm recorded next to every id, so a later change can migrate. */
export type HashName = 'xxh128';
export const HASH_NAME: HashName = 'xxh128';

const ID_RE = /^[0-9a-f]{32}(\.dir)?$/;

export function isObjectId(s: string): s is ObjectId {
  return ID_RE.test(s);
}

export function isDirId(id: ObjectId): boolean {
  return id.endsWith('.dir');
}
