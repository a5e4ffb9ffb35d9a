/**
 * A set of object ids kept as 32-bit fingerprints in one typed array (open addressing): "may
 * have" can be a false positive, never a false negative, so a caller confirms a hit on disk.
 * A first add of a million files remembers every object it wrote; as a Set of id strings that
 * was 69 MB of heap for 1M ids (and a million objects for every major GC to mark), here 8 MB.
 */
const EMPTY = 0;

export class IdFingerprints {
  private slots = new Uint32Array(1024);
  private count = 0;

  mayHave(id: string): boolean {
    const fp = fingerprint(id);
    const mask = this.slots.length - 1;
    for (let i = fp & mask; this.slots[i] !== EMPTY; i = (i + 1) & mask) if (this.slots[i] === fp) return true;
    return false;
  }

  add(id: string): void {
    if (2 * (this.count + 1) > this.slots.length) this.grow();
    if (this.insert(fingerprint(id))) this.count++;
  }

  private insert(fp: number): boolean {
    const mask = this.slots.length - 1;
    let i = fp & mask;
    for (; this.slots[i] !== EMPTY; i = (i + 1) & mask) if (this.slots[i] === fp) return false;
    this.slots[i] = fp;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (const fp of old) if (fp !== EMPTY) this.insert(fp);
  }
}

/**
 * Hex digits 2-9 of the id (the first two name its fan-out folder; the digits after them are
 * uniformly spread hash output), as a non-zero 32-bit number. Any other string still works:
 * it only spreads worse.
 */
function fingerprint(id: string): number {
  let fp = 0;
  for (let i = 2; i < 10 && i < id.length; i++) fp = (Math.imul(fp, 16) + hexValue(id.charCodeAt(i))) >>> 0;
  return fp === EMPTY ? 1 : fp;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  return (code | 32) - 87; // a-f (A-F); other characters give other values, which is harmless
}
