/** Bytes gathered per buffer: large enough that a million lines make a few dozen buffers. */
const CHUNK = 4 << 20;

/**
 * Text lines appended, kept as UTF-8 bytes in large buffers: what a file of them holds, with no
 * JS object per line.
 *
 * Why: the state cache learns one line per file a checkout places without ever reading the
 * cache (an emptied workspace); held as an array of [key, stamp, id] strings, a million of them
 * made four objects each, ~600 bytes a file and most of a 905 MB peak at 1M files.
 */
export class LineLog {
  private readonly full: Buffer[] = [];
  private current: Buffer | undefined;
  private at = 0;
  /** Lines appended. */
  count = 0;

  /** Appends `line`, which must end with a newline and hold none before it. */
  append(line: string): void {
    const length = Buffer.byteLength(line, 'utf8');
    if (this.current === undefined || this.at + length > this.current.length) {
      if (this.current !== undefined) this.full.push(this.current.subarray(0, this.at));
      this.current = Buffer.allocUnsafe(Math.max(CHUNK, length));
      this.at = 0;
    }
    this.at += this.current.write(line, this.at, 'utf8');
    this.count++;
  }

  /** The bytes of every line, in order, as a few buffers. */
  chunks(): Buffer[] {
    return this.current === undefined ? [...this.full] : [...this.full, this.current.subarray(0, this.at)];
  }
}
