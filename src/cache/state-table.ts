/**
 * The state cache in memory: its lines (`key TAB stamp TAB id \n`, UTF-8) kept as the bytes they
 * are in the state files, found through an open-addressing hash index held in typed arrays.
 *
 * Why not a Map of strings: a Map holding a million keys and rows made four JS objects per entry
 * (~270 bytes, and garbage-collection work for each); here an entry costs its line's bytes plus
 * 26 bytes of typed arrays, and the collector sees a handful of large buffers. Files are read in
 * chunks of whole lines (a line is a slice of one). Files are read newest first (state.ts), and a
 * line whose key a newer file (or this process) already gave is skipped; a chunk left holding no
 * line is let go at once and its buffer read into again. A line replacing another (a later one of
 * the same file, or one learnt) takes over its entry. So the index holds one entry per key and
 * the chunks each key's newest line, however many files repeat it: folding a base and 16 deltas
 * of the same million files (every 17th checkout into an emptied workspace) indexed 17 million
 * entries and held the lines' chunks until replaced (over 1 GB at 1M).
 * Lines learnt by this process are appended to chunks of FRESH_CHUNK bytes, which are exactly
 * what a delta file holds.
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
  /** Per entry: the generation its line came from (higher is newer: see olderFile). */
  private genOf = new Uint32Array(1024);
  /** Generation of the lines being added: learnt ones are the newest, each file read is older. */
  private gen = NEWEST;
  private count = 0;
  private slots = new Int32Array(2048).fill(EMPTY);
  /** The last key has() looked for, and what it found (record() forgets it). */
  private lastKey: string | undefined;
  private lastFound: number | string | undefined;
  /** Quoted keys: key -> "stamp TAB id", and the generation it came from. */
  private readonly odd = new Map<string, string>();
  private readonly oddGen = new Map<string, number>();
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

  /** What is added next comes from a file older than everything added so far (files are read newest first). */
  olderFile(): void {
    this.gen--;
  }

  /**
   * Adds whole lines read from a state file (after its header); a damaged line is skipped, and so
   * is one whose key a newer file gave. False when `buf` holds none of its lines: it can be reused.
   */
  addFileBytes(buf: Buffer, from: number, unquote: (field: string) => string | undefined): boolean {
    const chunk = this.pushChunk(buf, true);
    this.indexLines(chunk, from, unquote);
    this.bytes += buf.length - from;
    if (this.liveInChunk[chunk] !== 0) return true;
    this.chunks[chunk] = NO_BYTES;
    return false;
  }

  /**
   * Adds whole lines learnt before the table was read (a LineLog's buffer, see state.ts), before
   * any file, as if each were record()ed, keeping `buf` itself as their fresh chunk: replaying
   * them line by line after the files held them twice, plus a string per line.
   */
  addLearntBytes(buf: Buffer, unquote: (field: string) => string | undefined): void {
    this.newFreshChunk(0, buf);
    this.freshAt = buf.length;
    this.freshBytes += buf.length;
    this.bytes += buf.length;
    this.indexLines(this.freshChunk, 0, unquote);
  }

  private indexLines(chunk: number, from: number, unquote: (field: string) => string | undefined): void {
    const buf = this.chunks[chunk]!;
    for (let at = from; at < buf.length; ) {
      const end = buf.indexOf(NEWLINE, at);
      if (end < 0) break; // a file cut short: its last line is not trusted
      const tab = buf.indexOf(TAB, at);
      const secondTab = tab < 0 || tab > end ? -1 : buf.indexOf(TAB, tab + 1);
      if (tab > at && secondTab > tab + 1 && secondTab < end - 1) {
        if (buf[at] === 0x22) {
          const key = unquote(buf.toString('utf8', at, tab));
          if (key !== undefined && (this.oddGen.get(key) ?? 0) <= this.gen) {
            this.odd.set(key, buf.toString('latin1', tab + 1, end));
            this.oddGen.set(key, this.gen);
          }
        } else {
          this.index(chunk, at, tab, end, hashBytes(buf, at, tab), this.gen);
        }
      }
      at = end + 1;
    }
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
    if (fileKey !== key) {
      this.odd.set(key, row);
      this.oddGen.set(key, NEWEST);
    } else {
      this.index(this.freshChunk, start, keyEnd, start + length - 1, hashBytes(buf, start, keyEnd), NEWEST);
    }
  }

  /** The lines learnt since the last call, in the order learnt (what a delta file holds). */
  takeFresh(): Buffer[] {
    const parts = this.freshChunks.map((c) => this.chunks[c]!.subarray(c === this.freshChunks[0] ? this.freshFrom : 0, c === this.freshChunk ? this.freshAt : undefined));
    this.freshChunks = this.fresh === undefined ? [] : [this.freshChunk];
    this.freshFrom = this.freshAt;
    this.freshBytes = 0;
    return parts;
  }

  /** Every current line (the last one read or learnt for its key), in the order keys first came. */
  *liveLines(quote: (key: string) => string): Generator<Buffer | string> {
    for (let i = 0; i < this.count; i++) yield this.chunks[this.chunkOf[i]!]!.subarray(this.startOf[i]!, this.endOf[i]! + 1);
    for (const [key, row] of this.odd) yield `${quote(key)}\t${row}\n`;
  }

  /** Starts a fresh chunk of at least `atLeast` bytes, or `adopted` (lines already in it). */
  private newFreshChunk(atLeast: number, adopted?: Buffer): void {
    // The chunk filled so far keeps only what was written (takeFresh reads it to its end).
    if (this.fresh !== undefined) this.chunks[this.freshChunk] = this.fresh.subarray(0, this.freshAt);
    this.fresh = adopted ?? Buffer.allocUnsafe(Math.max(FRESH_CHUNK, atLeast));
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

  /**
   * Makes line (chunk, start, keyEnd, end) of generation `gen` the current one for its key (its
   * key's entry, or a new one), unless the key's current line is of a newer generation.
   */
  private index(chunk: number, start: number, keyEnd: number, end: number, hash: number, gen: number): void {
    if ((this.count + 1) * 2 > this.slots.length) this.growSlots();
    const buf = this.chunks[chunk]!;
    const length = keyEnd - start;
    const mask = this.slots.length - 1;
    let s = hash & mask;
    for (; ; s = (s + 1) & mask) {
      const other = this.slots[s]!;
      if (other === EMPTY) break;
      if (this.hashOf[other] === hash && this.keyEndOf[other]! - this.startOf[other]! === length && this.chunks[this.chunkOf[other]!]!.compare(buf, start, keyEnd, this.startOf[other]!, this.keyEndOf[other]!) === 0) {
        if (this.genOf[other]! > gen) return;
        // The new line is counted first: forgetting the old one must not let go of a chunk the
        // new one lies in (a key twice in one chunk, nothing else live there yet).
        const oldChunk = this.chunkOf[other]!;
        const oldLength = this.endOf[other]! + 1 - this.startOf[other]!;
        this.place(other, chunk, start, keyEnd, end, hash, gen);
        this.forget(oldChunk, oldLength);
        return;
      }
    }
    if (this.count === this.startOf.length) this.growEntries();
    const e = this.count++;
    this.place(e, chunk, start, keyEnd, end, hash, gen);
    this.slots[s] = e;
  }

  private place(e: number, chunk: number, start: number, keyEnd: number, end: number, hash: number, gen: number): void {
    this.genOf[e] = gen;
    this.liveBytes += end + 1 - start;
    this.liveInChunk[chunk] = this.liveInChunk[chunk]! + end + 1 - start;
    this.chunkOf[e] = chunk;
    this.startOf[e] = start;
    this.keyEndOf[e] = keyEnd;
    this.endOf[e] = end;
    this.hashOf[e] = hash;
  }

  /** A line of `length` bytes in `chunk` was replaced: its bytes are dead, and its chunk too once all of them are. */
  private forget(chunk: number, length: number): void {
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
    this.genOf = grown(this.genOf, new Uint32Array(n));
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
/** The generation of lines learnt by this process: newer than any file's. */
const NEWEST = 0xffffffff;
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
