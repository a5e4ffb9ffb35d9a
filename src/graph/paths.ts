/** Project-relative posix path relations used to connect deps to outs. */

/** true when `inner` equals `outer` or lies inside it (`data` contains `data/a.csv`, not `database`). */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === '' || inner.startsWith(`${outer}/`);
}

/** true when one path is inside (or equal to) the other. */
export function overlaps(a: string, b: string): boolean {
  return isWithin(a, b) || isWithin(b, a);
}
