/**
 * The state cache in memory: its lines (`key TAB stamp TAB id \n`, UTF-8) kept as the bytes they
 * are in the state files, found through an open-addressing hash index held in typed arrays.
 *
 * Why not a Map of strings: a Map holding a million keys and rows made four JS objects per entry
 * (~270 bytes, and garbage-collection work for each); here an entry costs its line's bytes plus
 * 26 bytes of typed arrays, and the collector sees a handful of large buffers. Files are read in
 * chunks of whole lines (a line is a slice of one); a chunk whose every line a later one replaced
 * is let go, so a checkout that replaces a million entries in the order they were written holds
 * about one copy of them, not two. Lines learnt by this process are appended to chunks of
 * FRESH_CHUNK bytes, which are exactly what a delta file holds.
 *
 * Keys that need JSON quoting in the file format (a tab, newline or backslash, or a leading quote:
 * see state.ts) are rare; they live in a plain Map beside the index.
 */
const FRESH_CHUNK = 4 << 20;
const TAB = 9;
const NEWLINE = 10;
const EMPTY = -1;

export class StateTable {
  private readonly chunks: Buffer[] = [];
  /** Per chunk: bytes of its current (not replaced) lines, and whether it was read from a file. */
  private readonly liveInChunk: number[] = [];
  private readonly fromFile: boolean[] = [];
  /** Per entry: chunk, line start, key end (its first tab), line end (its newline), key hash. */
  private chunkOf = new Uint16Array(1024);
  private startOf = new Uint32Array(1024);
  private keyEndOf = new Uint32Array(1024);
  private endOf = new Uint32Array(1024);
  private hashOf = new Uint32Array(1024);
  /** Set for an entry a later one of the same key replaced. */
  private replaced = new Uint8Array(1024);
  private count = 0;
  private slots = new Int32Array(2048).fill(EMPTY);
  /** The last key has() looked for, and what it found (record() forgets it). */
  private lastKey: string | undefined;
  private lastFound: number | string | undefined;
  /** Quoted keys: key -> "stamp TAB id". */
  private readonly odd = new Map<string, string>();
  /** The chunk lines are learnt into, and where its next line goes. */
  private fresh: Buffer | undefined;
  private freshChunk = 0;
  private freshAt = 0;
  /** Chunks holding lines learnt since the last takeFresh(), the first from freshFrom on. */
  private freshChunks: number[] = [];
  private freshFrom = 0;
  /** Bytes of lines learnt since the last takeFresh(). */
  freshBytes = 0;
  /** Bytes of lines held (read from files or learnt), and of those no later line replaced. */
  bytes = 0;
  liveBytes = 0;

  /** Adds whole lines read from a state file (after its header); a damaged line is skipped. */
  addFileBytes(buf: Buffer, from: number, unquote: (field: string) => string | undefined): void {
    const chunk = this.pushChunk(buf, true);
    for (let at = from; at < buf.length; ) {
      const end = buf.indexOf(NEWLINE, at);
      if (end < 0) break; // a file cut short: its last line is not trusted
      const tab = buf.indexOf(TAB, at);
      const secondTab = tab < 0 || tab > end ? -1 : buf.indexOf(TAB, tab + 1);
      if (tab > at && secondTab > tab + 1 && secondTab < end - 1) {
        if (buf[at] === 0x22) {
          const key = unquote(buf.toString('utf8', at, tab));
          if (key !== undefined) this.odd.set(key, buf.toString('latin1', tab + 1, end));
        } else {
          this.index(chunk, at, tab, end, hashBytes(buf, at, tab));
        }
      }
      at = end + 1;
    }
    this.bytes += buf.length - from;
  }

  /** "stamp TAB id" recorded for `key`, compared with `stamp` without making a string; the id. */
  lookup(key: string, stamp: string): string | undefined {
    // has(key) then lookup(key) is the usual pair (a stat only for a key known): found once.
    const found = key === this.lastKey ? this.lastFound : this.find(key);
    if (found === undefined) return undefined;
    if (typeof found === 'string') return found.length > stamp.length + 1 && found.charCodeAt(stamp.length) === TAB && found.startsWith(stamp) ? found.slice(stamp.length + 1) : undefined;
    const buf = this.chunks[this.chunkOf[found]!]!;
    const rowAt = this.keyEndOf[found]! + 1;
    const end = this.endOf[found]!;
    if (end - rowAt <= stamp.length + 1 || buf[rowAt + stamp.length] !== TAB) return undefined;
    for (let i = 0; i < stamp.length; i++) if (buf[rowAt + i] !== stamp.charCodeAt(i)) return undefined;
    return buf.toString('latin1', rowAt + stamp.length + 1, end);
  }

  has(key: string): boolean {
    this.lastFound = this.find(key);
    this.lastKey = key;
    return this.lastFound !== undefined;
  }

  /**
   * Records that `key` (written as `fileKey`: JSON-quoted when it needs to be) has `row`
   * ("stamp TAB id", ASCII).
   */
  record(key: string, fileKey: string, row: string): void {
    this.lastKey = undefined;
    const length = Buffer.byteLength(fileKey, 'utf8') + row.length + 2;
    if (this.fresh === undefined || this.freshAt + length > this.fresh.length) this.newFreshChunk(length);
    const buf = this.fresh!;
    const start = this.freshAt;
    const keyEnd = start + buf.write(fileKey, start, 'utf8');
    buf[keyEnd] = TAB;
    buf.write(row, keyEnd + 1, 'latin1');
    buf[start + length - 1] = NEWLINE;
    this.freshAt += length;
    this.freshBytes += length;
    this.bytes += length;
    if (fileKey !== key) this.odd.set(key, row);
    else this.index(this.freshChunk, start, keyEnd, start + length - 1, hashBytes(buf, start, keyEnd));
  }

  /** The lines learnt since the last call, in the order learnt (what a delta file holds). */
  takeFresh(): Buffer[] {
    const parts = this.freshChunks.map((c) => this.chunks[c]!.subarray(c === this.freshChunks[0] ? this.freshFrom : 0, c === this.freshChunk ? this.freshAt : undefined));
    this.freshChunks = this.fresh === undefined ? [] : [this.freshChunk];
    this.freshFrom = this.freshAt;
    this.freshBytes = 0;
    return parts;
  }

  /** Every current line (not one a later line of its key replaced), in the order read or learnt. */
  *liveLines(quote: (key: string) => string): Generator<Buffer | string> {
    for (let i = 0; i < this.count; i++) {
      if (this.replaced[i] === 0) yield this.chunks[this.chunkOf[i]!]!.subarray(this.startOf[i]!, this.endOf[i]! + 1);
    }
    for (const [key, row] of this.odd) yield `${quote(key)}\t${row}\n`;
  }

  private newFreshChunk(atLeast: number): void {
    // The chunk filled so far keeps only what was written (takeFresh reads it to its end).
    if (this.fresh !== undefined) this.chunks[this.freshChunk] = this.fresh.subarray(0, this.freshAt);
    this.fresh = Buffer.allocUnsafe(Math.max(FRESH_CHUNK, atLeast));
    this.freshChunk = this.pushChunk(this.fresh, false);
    this.freshAt = 0;
    if (this.freshChunks.length === 0) this.freshFrom = 0;
    this.freshChunks.push(this.freshChunk);
  }

  private pushChunk(buf: Buffer, fromFile: boolean): number {
    if (this.chunks.length === 0xffff) throw new Error('state cache: too many chunks');
    this.chunks.push(buf);
    this.liveInChunk.push(0);
    this.fromFile.push(fromFile);
    return this.chunks.length - 1;
  }

  /** The entry index for `key`, its row string for an odd key, or undefined. */
  private find(key: string): number | string | undefined {
    let h = FNV_OFFSET;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      if (c >= 0x80 || c === TAB || c === NEWLINE || c === 0x5c || (i === 0 && c === 0x22)) return this.findEncoded(key);
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    h >>>= 0;
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return undefined;
      if (this.hashOf[e] === h && this.keyEquals(e, key)) return e;
    }
  }

  /** find() for a key that is not plain ASCII: quoted ones live in `odd`, others by their UTF-8 bytes. */
  private findEncoded(key: string): number | string | undefined {
    if (/[\t\n\\]|^"/.test(key)) return this.odd.get(key);
    const bytes = Buffer.from(key, 'utf8');
    const h = hashBytes(bytes, 0, bytes.length);
    const mask = this.slots.length - 1;
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const e = this.slots[s]!;
      if (e === EMPTY) return undefined;
      if (this.hashOf[e] === h && this.chunks[this.chunkOf[e]!]!.subarray(this.startOf[e]!, this.keyEndOf[e]!).equals(bytes)) return e;
    }
  }

  /** ASCII `key` against the key bytes of entry `e`. */
  private keyEquals(e: number, key: string): boolean {
    const start = this.startOf[e]!;
    if (this.keyEndOf[e]! - start !== key.length) return false;
    const buf = this.chunks[this.chunkOf[e]!]!;
    for (let i = 0; i < key.length; i++) if (buf[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  /** Makes entry (chunk, start, keyEnd, end) the current one for its key. */
  private index(chunk: number, start: number, keyEnd: number, end: number, hash: number): void {
    if (this.count === this.startOf.length) this.growEntries();
    if ((this.count + 1) * 2 > this.slots.length) this.growSlots();
    const e = this.count++;
    this.liveBytes += end + 1 - start;
    this.liveInChunk[chunk] = this.liveInChunk[chunk]! + end + 1 - start;
    this.chunkOf[e] = chunk;
    this.startOf[e] = start;
    this.keyEndOf[e] = keyEnd;
    this.endOf[e] = end;
    this.hashOf[e] = hash;
    const buf = this.chunks[chunk]!;
    const length = keyEnd - start;
    const mask = this.slots.length - 1;
    for (let s = hash & mask; ; s = (s + 1) & mask) {
      const other = this.slots[s]!;
      if (other === EMPTY) {
        this.slots[s] = e;
        return;
      }
      if (this.hashOf[other] === hash && this.keyEndOf[other]! - this.startOf[other]! === length && this.chunks[this.chunkOf[other]!]!.compare(buf, start, keyEnd, this.startOf[other]!, this.keyEndOf[other]!) === 0) {
        this.replaced[other] = 1;
        this.slots[s] = e;
        this.forget(other);
        return;
      }
    }
  }

  /** Entry `e` was replaced: its bytes are dead, and its chunk too once all of them are. */
  private forget(e: number): void {
    const length = this.endOf[e]! + 1 - this.startOf[e]!;
    const chunk = this.chunkOf[e]!;
    this.liveBytes -= length;
    this.liveInChunk[chunk] = this.liveInChunk[chunk]! - length;
    // Lines learnt stay until written (a delta holds every line learnt); read ones can go.
    if (this.liveInChunk[chunk] === 0 && this.fromFile[chunk]) this.chunks[chunk] = NO_BYTES;
  }

  private growEntries(): void {
    const n = this.startOf.length * 2;
    this.chunkOf = grown(this.chunkOf, new Uint16Array(n));
    this.startOf = grown(this.startOf, new Uint32Array(n));
    this.keyEndOf = grown(this.keyEndOf, new Uint32Array(n));
    this.endOf = grown(this.endOf, new Uint32Array(n));
    this.hashOf = grown(this.hashOf, new Uint32Array(n));
    this.replaced = grown(this.replaced, new Uint8Array(n));
  }

  private growSlots(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = slots.length - 1;
    for (const e of this.slots) {
      if (e === EMPTY) continue;
      let s = this.hashOf[e]! & mask;
      while (slots[s] !== EMPTY) s = (s + 1) & mask;
      slots[s] = e;
    }
    this.slots = slots;
  }
}

const NO_BYTES = Buffer.alloc(0);
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of bytes [from, to): the same number find() computes from an ASCII key's char codes. */
function hashBytes(buf: Uint8Array, from: number, to: number): number {
  let h = FNV_OFFSET;
  for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i]!, FNV_PRIME);
  return h >>> 0;
}

function grown<T extends Uint8Array | Uint16Array | Uint32Array>(old: T, next: T): T {
  next.set(old);
  return next;
}
