/** An append-only Uint32Array: a few bytes per row instead of a JS array of numbers. */
export class GrowableU32 {
  private data = new Uint32Array(1024);
  length = 0;

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Uint32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  get(index: number): number {
    return this.data[index] as number;
  }

  /** The values pushed so far (a view, not a copy). */
  view(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}
