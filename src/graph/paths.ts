/** Project-relative posix path relations used to connect deps to outs. */

/** true when `inner` equals `outer` or lies inside it (`data` contains `data/a.csv`, not `database`). */
export function isWithin(inner: string, outer: string): boolean {
  return inner === outer || outer === '' || inner.startsWith(`${outer}/`);
}
