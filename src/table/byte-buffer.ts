import type { AtomicFile } from './atomic-file.js';

const STAGING_BYTES = 1 << 20;

/**
 * Collects output bytes in one reusable 1 MiB buffer and hands it to the file when full, so
 * writing a row is a memory copy, not a syscall or a promise. Copies raw row bytes without
 * decoding them, and encodes strings straight into the buffer.
 */
export class StagedOutput {
  private staging = Buffer.allocUnsafe(STAGING_BYTES);
  private used = 0;

  constructor(private readonly file: AtomicFile) {}

  /** True when the buffer should be flushed before more is added. */
  get full(): boolean {
    return this.used >= STAGING_BYTES - 4096;
  }

  copy(bytes: Buffer, start: number, end: number): void {
    if (end - start > this.staging.length - this.used) this.grow(end - start);
    bytes.copy(this.staging, this.used, start, end);
    this.used += end - start;
  }

  text(text: string): void {
    // 3 bytes per UTF-16 unit is the worst case of UTF-8.
    if (text.length * 3 > this.staging.length - this.used) this.grow(Buffer.byteLength(text));
    this.used += this.staging.write(text, this.used);
  }

  async flush(): Promise<void> {
    if (this.used === 0) return;
    const bytes = this.staging.subarray(0, this.used);
    this.staging = Buffer.allocUnsafe(STAGING_BYTES);
    this.used = 0;
    await this.file.write(bytes); // the file stream keeps `bytes`; we continue in a fresh buffer
  }

  /** A row larger than what is left: move to a buffer big enough for what is staged plus it. */
  private grow(extra: number): void {
    const bigger = Buffer.allocUnsafe(Math.max(STAGING_BYTES, this.used + extra));
    this.staging.copy(bigger, 0, 0, this.used);
    this.staging = bigger;
  }
}
